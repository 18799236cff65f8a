using StructGen.Language.Diagnostics;

namespace StructGen.Language.Binding;

/// <summary>
/// The widths a DSL expression must map between, and where they come from: the declaration's
/// <c>In -&gt; Out</c>, a chain's inner widths, a model step's width. Sizes flow down to each operand, so
/// shape rules see complete declarations and disagreements are reported where they happen.
/// </summary>
/// <param name="In">Input width.</param>
/// <param name="Out">Output width.</param>
/// <param name="InSpan">Where the input width is written.</param>
/// <param name="OutSpan">Where the output width is written.</param>
/// <param name="OutWhere">How a message names where the output width is required (<c>'-&gt; 1024'</c>).</param>
/// <param name="OutIsWidthToken">The output width is a number right after the expression (a chain's inner width, a step's width): report an output disagreement there.</param>
/// <param name="InSum">The expression is an operand of <c>+</c>: a shape disagreement is SG0010.</param>
internal readonly record struct Flow(int In, int Out, SourceSpan InSpan, SourceSpan OutSpan, string OutWhere, bool OutIsWidthToken, bool InSum)
{
    public string ShapeText => In + " -> " + Out;
}
