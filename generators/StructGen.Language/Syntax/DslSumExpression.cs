using System.Collections.Generic;

namespace StructGen.Language.Syntax;

/// <summary><c>a + b + …</c>: operands of one shape whose weights add up. <c>+</c> binds tighter than <c>-&gt;</c>.</summary>
public sealed class DslSumExpression : DslExpression
{
    public DslSumExpression(DslText text, IReadOnlyList<DslExpression> terms, IReadOnlyList<DslToken> plusTokens)
        : base(text, terms[0].Start, terms[terms.Count - 1].End)
    {
        Terms = terms;
        PlusTokens = plusTokens;
    }

    /// <summary>At least two operands.</summary>
    public IReadOnlyList<DslExpression> Terms { get; }

    public IReadOnlyList<DslToken> PlusTokens { get; }
}
