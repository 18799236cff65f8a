using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// Monarch facet (fly's <c>blockdiag_butterfly_multiply</c>): two block-diagonal products. The Monarch
/// permutation (<c>v[l, r] = u[r·K + l]</c>) and the <c>(s l)</c> output order are folded into the index
/// expressions of the second product, so no transpose kernel runs. fly's padding: inputs past <c>In</c>
/// read as zero, outputs past <c>Out</c> are not stored.
/// </summary>
internal sealed class MonarchGpu : GpuStructure
{
    private readonly MonarchSpec _spec;

    public MonarchGpu(MonarchSpec spec) => _spec = spec;

    private bool PaddedIn => _spec.PaddedIn != _spec.In;

    private bool PaddedOut => _spec.PaddedOut != _spec.Out;

    public override string Formula => "u = blkdiag1·x (per block), z[l] = blkdiag2[l]·(u[r·K + l])_r, y[s·K + l] = z[l, s]";

    public override IEnumerable<GpuConstant> Constants()
    {
        yield return new GpuConstant("K", _spec.Blocks, "Blocks per factor (k = l).");
        yield return new GpuConstant("P", _spec.P, $"Inputs per first-factor block (In' / K, In' = {_spec.PaddedIn}).");
        yield return new GpuConstant("Q", _spec.Q, "Outputs per first-factor block.");
        yield return new GpuConstant("R", _spec.R, "Inputs per second-factor block (K·R = K·Q).");
        yield return new GpuConstant("S", _spec.S, $"Outputs per second-factor block (Out' / K, Out' = {_spec.PaddedOut}).");
        yield return new GpuConstant("Inner", _spec.Inner, "Width between the factors (K·Q).");
    }

    public override IReadOnlyList<GpuScratch> Scratch => new[]
    {
        new GpuScratch("u", _spec.Inner, "[rows, K·Q] first factor's output, flat index k·Q + q"),
        new GpuScratch("du", _spec.Inner, "[rows, K·Q] its gradient (backward)"),
    };

    private GpuGemm FirstFactor => new("FirstFactor",
        $"u[b, k·Q + q] = Σ_p x[b, k·P + p]·blkdiag1[k, q, p]  ({_spec.Blocks} blocks of {_spec.Q} × {_spec.P})",
        C(_spec.Blocks), Rows(), C(_spec.Q), C(_spec.P),
        new GpuOperand("x", "m * In + g * P + k", 'k', PaddedIn ? "g * P + k < In" : null),
        new GpuOperand("p", "OffsetBlkdiag1 + (g * Q + n) * P + k", 'k'),
        new GpuOutput("u", "m * Inner + g * Q + n", Accumulate: false));

    public override IReadOnlyList<GpuGemm> Forward(bool bias) => new[]
    {
        FirstFactor,
        new GpuGemm("SecondFactor",
            $"y[b, s·K + l] = Σ_r u[b, r·K + l]·blkdiag2[l, s, r]  ({_spec.Blocks} blocks of {_spec.S} × {_spec.R}; permutation and (s l) order in the indices)",
            C(_spec.Blocks), Rows(), C(_spec.S), C(_spec.R),
            new GpuOperand("u", "m * Inner + k * K + g", 'k'),
            new GpuOperand("p", "OffsetBlkdiag2 + (g * S + n) * R + k", 'k'),
            Output("m * Out + n * K + g", "n * K + g", bias, PaddedOut ? "n * K + g < Out" : null)),
    };

    public override IReadOnlyList<GpuGemm> Backward() => new[]
    {
        FirstFactor,
        new GpuGemm("SecondFactorInputGradient",
            "du[b, r·K + l] = Σ_s dy[b, s·K + l]·blkdiag2[l, s, r]  (the inverse permutation in the indices)",
            C(_spec.Blocks), Rows(), C(_spec.R), C(_spec.S),
            new GpuOperand("dy", "m * Out + k * K + g", 'k', PaddedOut ? "k * K + g < Out" : null),
            new GpuOperand("p", "OffsetBlkdiag2 + (g * S + k) * R + n", 'n'),
            new GpuOutput("du", "m * Inner + n * K + g", Accumulate: false)),
        new GpuGemm("GradientBlkdiag2",
            "∂blkdiag2[l, s, r] += Σ_b dy[b, s·K + l]·u[b, r·K + l]",
            C(_spec.Blocks), C(_spec.S), C(_spec.R), Rows(),
            new GpuOperand("dy", "k * Out + m * K + g", 'k', PaddedOut ? "m * K + g < Out" : null),
            new GpuOperand("u", "k * Inner + n * K + g", 'k'),
            new GpuOutput("dp", "OffsetBlkdiag2 + (g * S + m) * R + n", Accumulate: true)),
        new GpuGemm("GradientBlkdiag1",
            "∂blkdiag1[k, q, p] += Σ_b du[b, k·Q + q]·x[b, k·P + p]",
            C(_spec.Blocks), C(_spec.Q), C(_spec.P), Rows(),
            new GpuOperand("du", "k * Inner + g * Q + m", 'm'),
            new GpuOperand("x", "k * In + g * P + n", 'n', PaddedIn ? "g * P + n < In" : null),
            new GpuOutput("dp", "OffsetBlkdiag1 + (g * Q + m) * P + n", Accumulate: true)),
        new GpuGemm("InputGradient",
            "dx[b, k·P + p] = Σ_q du[b, k·Q + q]·blkdiag1[k, q, p]",
            C(_spec.Blocks), Rows(), C(_spec.P), C(_spec.Q),
            new GpuOperand("du", "m * Inner + g * Q + k", 'k'),
            new GpuOperand("p", "OffsetBlkdiag1 + (g * Q + k) * P + n", 'n'),
            new GpuOutput("dx", "m * In + g * P + n", Accumulate: false, PaddedIn ? "g * P + n < In" : null)),
    };
}
