using System;
using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>Dense facet: one product forward, two backward (input gradient, weight gradient).</summary>
internal sealed class DenseGpu : GpuStructure
{
    private readonly DenseSpec _spec;

    public DenseGpu(DenseSpec spec) => _spec = spec;

    public override string Formula => "y = x·weightᵀ";

    public override IEnumerable<GpuConstant> Constants() => Array.Empty<GpuConstant>();

    public override IReadOnlyList<GpuScratch> Scratch => Array.Empty<GpuScratch>();

    public override IReadOnlyList<GpuGemm> Forward(bool bias) => new[]
    {
        new GpuGemm("Forward", "y[b, o] = Σ_i x[b, i]·weight[o, i]",
            C(1), Rows(), C(_spec.Out), C(_spec.In),
            new GpuOperand("x", "m * In + k", 'k'),
            new GpuOperand("p", "OffsetWeight + n * In + k", 'k'),
            Output("m * Out + n", "n", bias)),
    };

    public override IReadOnlyList<GpuGemm> Backward() => new[]
    {
        new GpuGemm("InputGradient", "dx[b, i] = Σ_o dy[b, o]·weight[o, i]",
            C(1), Rows(), C(_spec.In), C(_spec.Out),
            new GpuOperand("dy", "m * Out + k", 'k'),
            new GpuOperand("p", "OffsetWeight + k * In + n", 'n'),
            new GpuOutput("dx", "m * In + n", Accumulate: false)),
        new GpuGemm("WeightGradient", "∂weight[o, i] += Σ_b dy[b, o]·x[b, i]",
            C(1), C(_spec.Out), C(_spec.In), Rows(),
            new GpuOperand("dy", "k * Out + m", 'm'),
            new GpuOperand("x", "k * In + n", 'n'),
            new GpuOutput("dp", "OffsetWeight + m * In + n", Accumulate: true)),
    };
}
