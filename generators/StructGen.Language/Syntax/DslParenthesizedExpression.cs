namespace StructGen.Language.Syntax;

/// <summary><c>( expression )</c>.</summary>
public sealed class DslParenthesizedExpression : DslExpression
{
    public DslParenthesizedExpression(DslText text, DslToken openParen, DslExpression inner, DslToken closeParen)
        : base(text, openParen.Start, closeParen.IsMissing ? inner.End : closeParen.End)
    {
        OpenParen = openParen;
        Inner = inner;
        CloseParen = closeParen;
    }

    public DslToken OpenParen { get; }

    public DslExpression Inner { get; }

    public DslToken CloseParen { get; }
}
