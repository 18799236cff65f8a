using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// Block-diagonal weight (fly <c>BlockdiagLinear</c>): <c>weight [K, Out'/K, In'/K]</c>; features that
/// <c>K</c> does not divide are zero-padded to <c>In' = K·⌈In/K⌉</c> (and the output cut to <c>Out</c>).
/// </summary>
public sealed record BlockDiagonalSpec(int In, int Out, int Blocks) : LayerSpec(In, Out)
{
    public int PaddedIn => Padding.RoundUp(In, Blocks);

    public int PaddedOut => Padding.RoundUp(Out, Blocks);

    /// <summary>Input features per block.</summary>
    public int BlockIn => PaddedIn / Blocks;

    /// <summary>Output features per block.</summary>
    public int BlockOut => PaddedOut / Blocks;

    public override string Describe() => $"blockdiag(blocks: {Blocks})";

    public override EquatableArray<TensorSpec> Tensors => EquatableArray.Create(
        TensorSpec.Create("weight", InitScale.FanIn(BlockIn), "kaiming-uniform, fan_in = In/K (fly)", Blocks, BlockOut, BlockIn));

    public override long ForwardFlopsPerRow => 2L * Blocks * BlockOut * BlockIn;
}
