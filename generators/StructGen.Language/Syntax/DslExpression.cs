namespace StructGen.Language.Syntax;

/// <summary>An expression: a structure call or layer name, a sum, a chain, or one in parentheses.</summary>
public abstract class DslExpression : DslNode
{
    protected DslExpression(DslText text, int start, int end)
        : base(text, start, end)
    {
    }
}
