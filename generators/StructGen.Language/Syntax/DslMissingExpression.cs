namespace StructGen.Language.Syntax;

/// <summary>Where an expression was expected and none was written; the parser has reported it, the binder stays silent.</summary>
public sealed class DslMissingExpression : DslExpression
{
    public DslMissingExpression(DslText text, int position)
        : base(text, position, position)
    {
    }
}
