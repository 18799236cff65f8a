using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// Monarch (fly <c>MonarchLinear</c>, "version 2"): <c>blkdiag1 [k, q, p]</c>, the Monarch permutation,
/// <c>blkdiag2 [l, s, r]</c>, output order <c>(s l)</c>. With <c>p = In'/K</c>, <c>o = Out'/K</c>:
/// if <c>In' &lt; Out'</c> then <c>q = p, s = o, r = p</c>, else <c>q = o, s = o, r = o</c>; <c>k = l = K</c>.
/// </summary>
public sealed record MonarchSpec(int In, int Out, int Blocks) : LayerSpec(In, Out)
{
    public int PaddedIn => Padding.RoundUp(In, Blocks);

    public int PaddedOut => Padding.RoundUp(Out, Blocks);

    /// <summary>Columns of a first-factor block (<c>p = In'/K</c>).</summary>
    public int P => PaddedIn / Blocks;

    /// <summary>Rows of a first-factor block.</summary>
    public int Q => PaddedIn < PaddedOut ? P : PaddedOut / Blocks;

    /// <summary>Columns of a second-factor block (<c>r</c>, with <c>l·r = k·q</c>).</summary>
    public int R => Q;

    /// <summary>Rows of a second-factor block (<c>s = Out'/K</c>).</summary>
    public int S => PaddedOut / Blocks;

    /// <summary>Width between the factors (<c>k·q</c>).</summary>
    public int Inner => Blocks * Q;

    public override string Describe() => $"monarch(blocks: {Blocks})";

    public override EquatableArray<TensorSpec> Tensors => EquatableArray.Create(
        TensorSpec.Create("blkdiag1", InitScale.UnitVariance(P), "variance 1/p: keeps the input's variance", Blocks, Q, P),
        TensorSpec.Create("blkdiag2", InitScale.FanIn(R), "kaiming-uniform, fan_in = r: dense output variance", Blocks, S, R));

    public override long ForwardFlopsPerRow => 2L * Blocks * ((long)Q * P + (long)S * R);
}
