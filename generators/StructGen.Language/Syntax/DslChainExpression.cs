using System.Collections.Generic;

namespace StructGen.Language.Syntax;

/// <summary>
/// <c>a -&gt; h -&gt; b -&gt; …</c>: a product of layers applied left to right, with the inner width
/// <c>h</c> written between each pair. <c>Widths[i]</c> is the width between <c>Terms[i]</c> and <c>Terms[i + 1]</c>.
/// </summary>
public sealed class DslChainExpression : DslExpression
{
    public DslChainExpression(DslText text, IReadOnlyList<DslExpression> terms, IReadOnlyList<DslNumber> widths)
        : base(text, terms[0].Start, terms[terms.Count - 1].End)
    {
        Terms = terms;
        Widths = widths;
    }

    /// <summary>At least two factors, first applied first.</summary>
    public IReadOnlyList<DslExpression> Terms { get; }

    /// <summary>One fewer than <see cref="Terms"/>.</summary>
    public IReadOnlyList<DslNumber> Widths { get; }
}
