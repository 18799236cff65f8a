using System.Globalization;
using System.Linq;
using System.Text;
using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// <c>a -&gt; h -&gt; b -&gt; …</c>: a product of layers applied left to right, <c>W = W_b · W_a</c>. Factor
/// <c>i</c> maps <c>Factors[i].In → Factors[i].Out</c>, and each factor's output width is the next one's
/// input (the inner widths written in the DSL). Factor <c>i</c>'s tensors are named <c>"{i}." + name</c>.
/// The binder flattens nested chains. A layer's bias is added once, after the last factor.
/// </summary>
public sealed record ChainSpec(int In, int Out, EquatableArray<LayerSpec> Factors) : LayerSpec(In, Out)
{
    /// <summary>The widths between the factors, in order (one fewer than the factors).</summary>
    public EquatableArray<int> InnerWidths => Factors.Take(Factors.Count - 1).Select(f => f.Out).ToEquatableArray();

    /// <summary><c>monarch(blocks: 4) -&gt; 256 -&gt; lowrank(r: 8)</c>: the DSL text of the chain, which parses back to it.</summary>
    public override string Describe()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Factors.Count; i++)
        {
            if (i > 0)
            {
                text.Append(" -> ").Append(Factors[i - 1].Out.ToString(CultureInfo.InvariantCulture)).Append(" -> ");
            }
            // `+` binds tighter than `->`, so only a nested chain needs parentheses.
            text.Append(Factors[i] is ChainSpec ? "(" + Factors[i].Describe() + ")" : Factors[i].Describe());
        }
        return text.ToString();
    }

    public override EquatableArray<TensorSpec> Tensors => Factors
        .SelectMany((factor, i) => factor.Tensors.Select(t => t.WithPrefix(i.ToString(CultureInfo.InvariantCulture) + ".")))
        .ToEquatableArray();

    /// <summary>The sum of the factors' FLOPs.</summary>
    public override long ForwardFlopsPerRow => Factors.Sum(f => f.ForwardFlopsPerRow);
}
