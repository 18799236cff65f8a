using System;
using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// Low-rank facet: <c>h = x·Aᵀ</c> (<c>[rows, R]</c>), <c>y = h·Bᵀ</c>; backward through both factors. As the
/// update of a LoRA adapter it may carry PEFT's <c>Scaling = alpha / R</c>, applied where the CPU path applies
/// it, to the <c>R</c>-wide middle: <c>h = Scaling·x·Aᵀ</c> and <c>dh = Scaling·dy·B</c>.
/// </summary>
internal sealed class LowRankGpu : GpuStructure
{
    private readonly LowRankSpec _spec;
    private readonly float? _scaling;

    public LowRankGpu(LowRankSpec spec, float? scaling = null)
    {
        _spec = spec;
        _scaling = scaling;
    }

    private string? Scale => _scaling is null ? null : "Scaling";

    private string Scaled => _scaling is null ? "" : "Scaling·";

    public override string Formula => _scaling is null ? "h = x·Aᵀ, y = h·Bᵀ (W = B·A)" : "h = Scaling·x·Aᵀ, y = h·Bᵀ (W = Scaling·B·A)";

    public override IEnumerable<GpuConstant> Constants()
    {
        yield return new GpuConstant("R", _spec.Rank, "Rank: A is [R, In], B is [Out, R].");
        if (_scaling is { } scaling)
        {
            yield return new GpuConstant("Scaling", "float", scaling.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f", "PEFT's scaling alpha / R, applied to the R-wide middle.");
        }
    }

    public override IReadOnlyList<GpuScratch> Scratch => new[]
    {
        new GpuScratch("h", _spec.Rank, "[rows, R] x·Aᵀ"),
        new GpuScratch("dh", _spec.Rank, "[rows, R] dy·B (backward)"),
    };

    private GpuGemm Hidden => new("Hidden", $"h[b, r] = {Scaled}Σ_i x[b, i]·A[r, i]",
        C(1), Rows(), C(_spec.Rank), C(_spec.In),
        new GpuOperand("x", "m * In + k", 'k'),
        new GpuOperand("p", "OffsetA + n * In + k", 'k'),
        new GpuOutput("h", "m * R + n", Accumulate: false, Scale: Scale));

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
        new GpuGemm("HiddenGradient", $"dh[b, r] = {Scaled}Σ_o dy[b, o]·B[o, r]",
            C(1), Rows(), C(_spec.Rank), C(_spec.Out),
            new GpuOperand("dy", "m * Out + k", 'k'),
            new GpuOperand("p", "OffsetB + k * R + n", 'n'),
            new GpuOutput("dh", "m * R + n", Accumulate: false, Scale: Scale)),
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
