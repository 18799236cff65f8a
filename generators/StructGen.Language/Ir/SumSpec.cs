using System.Globalization;
using System.Linq;
using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// <c>a + b + …</c>: operands of the same shape <c>In → Out</c> whose weights add up, <c>W = Σ W_i</c>.
/// Operand <c>i</c>'s tensors are named <c>"{i}." + name</c> (<c>0.weight</c>, <c>1.A</c>, <c>1.B</c>).
/// The binder flattens nested sums; <c>dense + lowrank(r: R)</c> is an <see cref="AdapterSpec"/> instead.
/// </summary>
public sealed record SumSpec(int In, int Out, EquatableArray<LayerSpec> Terms) : LayerSpec(In, Out)
{
    /// <summary><c>a + b</c>; operands that are chains, sums or adapters are parenthesized, so the text parses back to this tree.</summary>
    public override string Describe() => string.Join(" + ", Terms.Select(Operand));

    public override EquatableArray<TensorSpec> Tensors => Terms
        .SelectMany((term, i) => term.Tensors.Select(t => t.WithPrefix(i.ToString(CultureInfo.InvariantCulture) + ".")))
        .ToEquatableArray();

    /// <summary>Each operand's FLOPs plus <c>(n - 1)·Out</c> additions.</summary>
    public override long ForwardFlopsPerRow => Terms.Sum(t => t.ForwardFlopsPerRow) + ((long)Terms.Count - 1) * Out;

    private static string Operand(LayerSpec term)
        => term is ChainSpec or SumSpec or AdapterSpec ? "(" + term.Describe() + ")" : term.Describe();
}
