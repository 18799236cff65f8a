using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// <c>W = w1 ⊗ w2</c> (<c>torch.kron</c> order): <c>w1 [Out1, In1]</c>, <c>w2 [Out2, In2]</c>,
/// <c>W[i1·Out2 + i2, j1·In2 + j2] = w1[i1, j1]·w2[i2, j2]</c>. Computed per row as
/// <c>T = X·w2ᵀ</c> then <c>Y = w1·T</c> with <c>X = x</c> viewed as <c>[In1, In2]</c>.
/// </summary>
public sealed record KroneckerSpec(int In, int Out, int In1, int Out1, int In2, int Out2) : LayerSpec(In, Out)
{
    public override string Describe() => $"kronecker({Out1}x{In1}, {Out2}x{In2})";

    public override EquatableArray<TensorSpec> Tensors => EquatableArray.Create(
        TensorSpec.Create("w1", InitScale.UnitVariance(In1), "variance 1/In1: keeps the variance", Out1, In1),
        TensorSpec.Create("w2", InitScale.FanIn(In2), "kaiming-uniform, fan_in = In2: dense output variance", Out2, In2));

    public override long ForwardFlopsPerRow => 2L * ((long)In1 * In2 * Out2 + (long)Out1 * In1 * Out2);
}
