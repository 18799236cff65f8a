namespace StructGen.Language.Syntax;

/// <summary>
/// One step of a model: <c>expression -&gt; width;</c> (an inline layer; its input width is the previous
/// step's output), <c>Name;</c> (a layer of the file) or <c>relu;</c> (an activation).
/// </summary>
public sealed class DslStep : DslNode
{
    public DslStep(DslText text, DslExpression expression, DslNumber? width, int end, bool hasSyntaxErrors)
        : base(text, expression.Start, end)
    {
        Expression = expression;
        Width = width;
        HasSyntaxErrors = hasSyntaxErrors;
    }

    /// <summary>The parser reported an error inside this step (the binder then leaves the step alone rather than add follow-up errors).</summary>
    public bool HasSyntaxErrors { get; }

    public DslExpression Expression { get; }

    /// <summary>The step's output width, or null when it is not written (layer names and activations).</summary>
    public DslNumber? Width { get; }
}
