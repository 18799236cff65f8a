using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary><c>W = B·A</c>, <c>A [R, In]</c>, <c>B [Out, R]</c> (LoRA's convention: <c>x → x·Aᵀ → ·Bᵀ</c>).</summary>
public sealed record LowRankSpec(int In, int Out, int Rank) : LayerSpec(In, Out)
{
    public override string Describe() => $"lowrank(r: {Rank})";

    public override EquatableArray<TensorSpec> Tensors => EquatableArray.Create(
        TensorSpec.Create("A", InitScale.FanIn(In), "kaiming-uniform, fan_in = In", Rank, In),
        TensorSpec.Create("B", InitScale.UnitVariance(Rank), "variance 1/R, so B·A has dense variance", Out, Rank));

    public override long ForwardFlopsPerRow => 2L * Rank * ((long)In + Out);
}
