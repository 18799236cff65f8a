using System;
using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// Block-diagonal facet: every block in one launch (<c>g</c> = block). fly's padding: inputs past <c>In</c>
/// read as zero and outputs past <c>Out</c> are neither stored nor read back.
/// </summary>
internal sealed class BlockDiagonalGpu : GpuStructure
{
    private readonly BlockDiagonalSpec _spec;

    public BlockDiagonalGpu(BlockDiagonalSpec spec) => _spec = spec;

    private string? ValidIn(string index) => _spec.PaddedIn != _spec.In ? $"g * P + {index} < In" : null;

    private string? ValidOut(string index) => _spec.PaddedOut != _spec.Out ? $"g * O + {index} < Out" : null;

    public override string Formula => "y[:, k·O .. k·O + O) = x[:, k·P .. k·P + P)·weight[k]ᵀ for every block k";

    public override IEnumerable<GpuConstant> Constants()
    {
        yield return new GpuConstant("K", _spec.Blocks, "Blocks.");
        yield return new GpuConstant("P", _spec.BlockIn, $"Inputs per block (In' / K, In' = {_spec.PaddedIn}).");
        yield return new GpuConstant("O", _spec.BlockOut, $"Outputs per block (Out' / K, Out' = {_spec.PaddedOut}).");
    }

    public override IReadOnlyList<GpuScratch> Scratch => Array.Empty<GpuScratch>();

    public override IReadOnlyList<GpuGemm> Forward(bool bias) => new[]
    {
        new GpuGemm("Forward",
            $"y[b, k·O + o] = Σ_p x[b, k·P + p]·weight[k, o, p]  ({_spec.Blocks} blocks of {_spec.BlockOut} × {_spec.BlockIn})",
            C(_spec.Blocks), Rows(), C(_spec.BlockOut), C(_spec.BlockIn),
            new GpuOperand("x", "m * In + g * P + k", 'k', ValidIn("k")),
            new GpuOperand("p", "OffsetWeight + (g * O + n) * P + k", 'k'),
            Output("m * Out + g * O + n", "g * O + n", bias, ValidOut("n"))),
    };

    public override IReadOnlyList<GpuGemm> Backward() => new[]
    {
        new GpuGemm("InputGradient",
            "dx[b, k·P + p] = Σ_o dy[b, k·O + o]·weight[k, o, p]",
            C(_spec.Blocks), Rows(), C(_spec.BlockIn), C(_spec.BlockOut),
            new GpuOperand("dy", "m * Out + g * O + k", 'k', ValidOut("k")),
            new GpuOperand("p", "OffsetWeight + (g * O + k) * P + n", 'n'),
            new GpuOutput("dx", "m * In + g * P + n", Accumulate: false, ValidIn("n"))),
        new GpuGemm("GradientWeight",
            "∂weight[k, o, p] += Σ_b dy[b, k·O + o]·x[b, k·P + p]",
            C(_spec.Blocks), C(_spec.BlockOut), C(_spec.BlockIn), Rows(),
            new GpuOperand("dy", "k * Out + g * O + m", 'm', ValidOut("m")),
            new GpuOperand("x", "k * In + g * P + n", 'n', ValidIn("n")),
            new GpuOutput("dp", "OffsetWeight + (g * O + m) * P + n", Accumulate: true)),
    };
}
