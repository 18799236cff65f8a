namespace StructGen.Language.Syntax;

/// <summary>
/// One step of a model: <c>expression -&gt; width;</c> (an inline layer; its input width is the previous
/// step's output), <c>Name;</c> (a layer of the file) or <c>relu;</c> (an activation).
/// </summary>
public sealed class DslStep : DslNode
{
    public DslStep(DslText text, DslExpression expression, DslNumber? width, int end)
        : base(text, expression.Start, end)
    {
        Expression = expression;
        Width = width;
    }

    public DslExpression Expression { get; }

    /// <summary>The step's output width, or null when it is not written (layer names and activations).</summary>
    public DslNumber? Width { get; }
}
