using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// Kronecker facet: each input row viewed as <c>X [In1, In2]</c>; <c>T = X·w2ᵀ</c> over all <c>rows·In1</c>
/// rows at once, then <c>Y = w1·T</c> with the batch folded into the columns (<c>n = b·Out2 + o2</c>), so
/// both steps are single products whatever the batch.
/// </summary>
internal sealed class KroneckerGpu : GpuStructure
{
    private readonly KroneckerSpec _spec;

    public KroneckerGpu(KroneckerSpec spec) => _spec = spec;

    public override string Formula => "W = w1 ⊗ w2; per row X = x as [In1, In2], T = X·w2ᵀ, Y = w1·T";

    public override IEnumerable<GpuConstant> Constants()
    {
        yield return new GpuConstant("In1", _spec.In1, "w1 is [Out1, In1].");
        yield return new GpuConstant("Out1", _spec.Out1, "Rows of w1.");
        yield return new GpuConstant("In2", _spec.In2, "w2 is [Out2, In2].");
        yield return new GpuConstant("Out2", _spec.Out2, "Rows of w2.");
    }

    public override IReadOnlyList<GpuScratch> Scratch => new[]
    {
        new GpuScratch("t", _spec.In1 * _spec.Out2, "[rows·In1, Out2] X·w2ᵀ"),
        new GpuScratch("dt", _spec.In1 * _spec.Out2, "[rows·In1, Out2] its gradient (backward)"),
    };

    private GpuGemm Right => new("RightFactor",
        $"t[b·In1 + j1, o2] = Σ_j2 x[b, j1·In2 + j2]·w2[o2, j2]  ([rows·{_spec.In1}, {_spec.In2}] · [{_spec.In2}, {_spec.Out2}])",
        C(1), Rows(_spec.In1), C(_spec.Out2), C(_spec.In2),
        new GpuOperand("x", "m * In2 + k", 'k'),
        new GpuOperand("p", "OffsetW2 + n * In2 + k", 'k'),
        new GpuOutput("t", "m * Out2 + n", Accumulate: false));

    public override IReadOnlyList<GpuGemm> Forward(bool bias) => new[]
    {
        Right,
        new GpuGemm("LeftFactor",
            $"y[b, i1·Out2 + o2] = Σ_j1 w1[i1, j1]·t[b·In1 + j1, o2]  ([{_spec.Out1}, {_spec.In1}] · [{_spec.In1}, rows·{_spec.Out2}], column n = b·Out2 + o2)",
            C(1), C(_spec.Out1), Rows(_spec.Out2), C(_spec.In1),
            new GpuOperand("p", "OffsetW1 + m * In1 + k", 'k'),
            new GpuOperand("t", "n / Out2 * (In1 * Out2) + k * Out2 + n % Out2", 'n'),
            Output("n / Out2 * Out + m * Out2 + n % Out2", "m * Out2 + n % Out2", bias)),
    };

    public override IReadOnlyList<GpuGemm> Backward() => new[]
    {
        Right,
        new GpuGemm("LeftFactorInputGradient",
            "dt[b·In1 + j1, o2] = Σ_i1 w1[i1, j1]·dy[b, i1·Out2 + o2]",
            C(1), C(_spec.In1), Rows(_spec.Out2), C(_spec.Out1),
            new GpuOperand("p", "OffsetW1 + k * In1 + m", 'm'),
            new GpuOperand("dy", "n / Out2 * Out + k * Out2 + n % Out2", 'n'),
            new GpuOutput("dt", "n / Out2 * (In1 * Out2) + m * Out2 + n % Out2", Accumulate: false)),
        new GpuGemm("GradientW1",
            "∂w1[i1, j1] += Σ_(b, o2) dy[b, i1·Out2 + o2]·t[b·In1 + j1, o2]  (reduced over k = b·Out2 + o2)",
            C(1), C(_spec.Out1), C(_spec.In1), Rows(_spec.Out2),
            new GpuOperand("dy", "k / Out2 * Out + m * Out2 + k % Out2", 'k'),
            new GpuOperand("t", "k / Out2 * (In1 * Out2) + n * Out2 + k % Out2", 'k'),
            new GpuOutput("dp", "OffsetW1 + m * In1 + n", Accumulate: true)),
        new GpuGemm("GradientW2",
            "∂w2[o2, j2] += Σ_(b, j1) dt[b·In1 + j1, o2]·x[b, j1·In2 + j2]  (reduced over k = b·In1 + j1)",
            C(1), C(_spec.Out2), C(_spec.In2), Rows(_spec.In1),
            new GpuOperand("dt", "k * Out2 + m", 'm'),
            new GpuOperand("x", "k * In2 + n", 'n'),
            new GpuOutput("dp", "OffsetW2 + m * In2 + n", Accumulate: true)),
        new GpuGemm("InputGradient",
            "dx[b, j1·In2 + j2] = Σ_o2 dt[b·In1 + j1, o2]·w2[o2, j2]",
            C(1), Rows(_spec.In1), C(_spec.In2), C(_spec.Out2),
            new GpuOperand("dt", "m * Out2 + k", 'k'),
            new GpuOperand("p", "OffsetW2 + k * In2 + n", 'n'),
            new GpuOutput("dx", "m * In2 + n", Accumulate: false)),
    };
}
