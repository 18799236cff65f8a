using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>Low-rank facet: <c>h = x·Aᵀ</c>, <c>y = h·Bᵀ</c>.</summary>
internal sealed class LowRankEmitter : StructureEmitter
{
    private readonly LowRankSpec _spec;

    public LowRankEmitter(LowRankSpec spec, EmitScope scope)
        : base(scope) => _spec = spec;

    public override LayerSpec Spec => _spec;

    public override IEnumerable<string> Constants()
    {
        yield return $"/// <summary>Rank.</summary>\nprivate const int {C("R")} = {_spec.Rank};";
    }

    public override string Formula => "W = B·A, y = (x·Aᵀ)·Bᵀ";

    public override int ForwardScratchPerRow => _spec.Rank;

    public override int BackwardScratchPerRow => 2 * _spec.Rank;

    public override int SavedPerRow => Scope.Keeps ? _spec.Rank : 0;

    public override KeptRows? Kept => new KeptRows(Scope.Scratch, C("R"), _spec.Rank, "h = x·Aᵀ");

    public override string SavedDescription => "h = x·Aᵀ [rows, R]";

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        int i = _spec.In, o = _spec.Out, r = _spec.Rank;
        string x = Scope.X, y = Scope.Y, s = Scope.Scratch, R = C("R");
        w.Line($"ref float h = ref {SavedOr(s)}; // [rows, R]{KeptForBackward}");
        w.Line($"// h = {x}·Aᵀ: [rows, {i}] × [{i}, {r}]");
        w.Line(kernels.Call(GemmKind.Nt, r, i, $"ref {x}, {In}, {At("p", Offset("A"))}, {In}, ref h, {R}, rows, accumulate: false"));
        w.Line($"// {y} {OutputAssign} h·Bᵀ: [rows, {r}] × [{r}, {o}]");
        w.Line(kernels.Call(GemmKind.Nt, o, r, $"ref h, {R}, {At("p", Offset("B"))}, {R}, ref {y}, {Out}, rows, accumulate: {Scope.AccumulateOutput}"));
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        int i = _spec.In, o = _spec.Out, r = _spec.Rank;
        string x = Scope.X, dy = Scope.Dy, dx = Scope.Dx, s = Scope.Scratch, R = C("R");
        w.Line($"ref float h = ref {SavedOr(s)}; // [rows, R]{KeptOrRecomputed}");
        w.Line($"ref float dh = ref Unsafe.Add(ref {s}, TileRows * {R}); // [rows, R]");
        WriteUnlessSaved(w, () => w.Line(kernels.Call(GemmKind.Nt, r, i, $"ref {x}, {In}, {At("p", Offset("A"))}, {In}, ref h, {R}, rows, accumulate: false")));
        w.Line($"// dh = {dy}·B;  ∂B += {dy}ᵀ·h");
        w.Line(kernels.Call(GemmKind.Nn, o, r, $"ref {dy}, {Out}, {At("p", Offset("B"))}, {R}, ref dh, {R}, rows, accumulate: false"));
        w.Line(kernels.Call(GemmKind.Tn, o, r, $"ref {dy}, {Out}, ref h, {R}, {At("g", Offset("B"))}, {R}, rows"));
        w.Line($"// {dx} {InputGradientAssign} dh·A;  ∂A += dhᵀ·{x}");
        w.Line(kernels.Call(GemmKind.Nn, r, i, $"ref dh, {R}, {At("p", Offset("A"))}, {In}, ref {dx}, {In}, rows, accumulate: {Scope.AccumulateInputGradient}"));
        w.Line(kernels.Call(GemmKind.Tn, r, i, $"ref dh, {R}, ref {x}, {In}, {At("g", Offset("A"))}, {In}, rows"));
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        string R = C("R"), d = Scope.Dense;
        w.Lines(
$@"// W[o, i] {Scope.DenseAssign} Σ_r B[o, r]·A[r, i]
for (nint o = 0; o < {Out}; o++)
{{
    for (nint r = 0; r < {R}; r++)
    {{
        float b = Unsafe.Add(ref p, {Offset("B")} + o * {R} + r);
        for (nint i = 0; i < {In}; i++)
        {{
            Unsafe.Add(ref {d}, o * {In} + i) += b * Unsafe.Add(ref p, {Offset("A")} + r * {In} + i);
        }}
    }}
}}");
    }
}
