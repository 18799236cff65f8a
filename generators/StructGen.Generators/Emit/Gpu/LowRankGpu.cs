using System;
using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>Low-rank facet: <c>h = x·Aᵀ</c> (<c>[rows, R]</c>), <c>y = h·Bᵀ</c>; backward through both factors.</summary>
internal sealed class LowRankGpu : GpuStructure
{
    private readonly LowRankSpec _spec;

    public LowRankGpu(LowRankSpec spec) => _spec = spec;

    public override string Formula => "h = x·Aᵀ, y = h·Bᵀ (W = B·A)";

    public override IEnumerable<GpuConstant> Constants()
    {
        yield return new GpuConstant("R", _spec.Rank, "Rank: A is [R, In], B is [Out, R].");
    }

    public override IReadOnlyList<GpuScratch> Scratch => new[]
    {
        new GpuScratch("h", _spec.Rank, "[rows, R] x·Aᵀ"),
        new GpuScratch("dh", _spec.Rank, "[rows, R] dy·B (backward)"),
    };

    private GpuGemm Hidden => new("Hidden", "h[b, r] = Σ_i x[b, i]·A[r, i]",
        C(1), Rows(), C(_spec.Rank), C(_spec.In),
        new GpuOperand("x", "m * In + k", 'k'),
        new GpuOperand("p", "OffsetA + n * In + k", 'k'),
        new GpuOutput("h", "m * R + n", Accumulate: false));

    public override IReadOnlyList<GpuGemm> Forward(bool bias) => new[]
    {
        Hidden,
        new GpuGemm("Output", "y[b, o] = Σ_r h[b, r]·B[o, r]",
            C(1), Rows(), C(_spec.Out), C(_spec.Rank),
            new GpuOperand("h", "m * R + k", 'k'),
            new GpuOperand("p", "OffsetB + n * R + k", 'k'),
            Output("m * Out + n", "n", bias)),
    };

    public override IReadOnlyList<GpuGemm> Backward() => new[]
    {
        Hidden,
        new GpuGemm("HiddenGradient", "dh[b, r] = Σ_o dy[b, o]·B[o, r]",
            C(1), Rows(), C(_spec.Rank), C(_spec.Out),
            new GpuOperand("dy", "m * Out + k", 'k'),
            new GpuOperand("p", "OffsetB + k * R + n", 'n'),
            new GpuOutput("dh", "m * R + n", Accumulate: false)),
        new GpuGemm("GradientB", "∂B[o, r] += Σ_b dy[b, o]·h[b, r]",
            C(1), C(_spec.Out), C(_spec.Rank), Rows(),
            new GpuOperand("dy", "k * Out + m", 'm'),
            new GpuOperand("h", "k * R + n", 'n'),
            new GpuOutput("dp", "OffsetB + m * R + n", Accumulate: true)),
        new GpuGemm("GradientA", "∂A[r, i] += Σ_b dh[b, r]·x[b, i]",
            C(1), C(_spec.Rank), C(_spec.In), Rows(),
            new GpuOperand("dh", "k * R + m", 'm'),
            new GpuOperand("x", "k * In + n", 'n'),
            new GpuOutput("dp", "OffsetA + m * In + n", Accumulate: true)),
        new GpuGemm("InputGradient", "dx[b, i] = Σ_r dh[b, r]·A[r, i]",
            C(1), Rows(), C(_spec.In), C(_spec.Rank),
            new GpuOperand("dh", "m * R + k", 'k'),
            new GpuOperand("p", "OffsetA + k * In + n", 'n'),
            new GpuOutput("dx", "m * In + n", Accumulate: false)),
    };
}
