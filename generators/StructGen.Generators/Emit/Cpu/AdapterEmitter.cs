using System.Collections.Generic;
using System.Globalization;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// LoRA adapter facet, <c>dense + lowrank(r: R, alpha: α)</c> with PEFT's names:
/// <c>W = weight + (α/R)·lora_B·lora_A</c>. Forward: the base product writes the output, then
/// <c>h = (α/R)·x·lora_Aᵀ</c> and <c>y += h·lora_Bᵀ</c>. The scaling is applied to the <c>R</c>-wide middle,
/// the cheapest place for it (as PEFT's <c>lora_B(lora_A(x)) * scaling</c>, reassociated).
/// </summary>
internal sealed class AdapterEmitter : StructureEmitter
{
    private readonly AdapterSpec _spec;

    public AdapterEmitter(AdapterSpec spec, EmitScope scope)
        : base(scope) => _spec = spec;

    public override LayerSpec Spec => _spec;

    private string R => C("R");

    private string Scaling => C("Scaling");

    private bool Scaled => _spec.Alpha != _spec.Rank;

    public override IEnumerable<string> Constants()
    {
        yield return $"/// <summary>Rank of the update (lora_A is [R, In], lora_B is [Out, R]).</summary>\nprivate const int {R} = {_spec.Rank};";
        yield return $"/// <summary>PEFT's scaling, alpha / R = {_spec.Alpha} / {_spec.Rank}.</summary>\nprivate const float {Scaling} = {((float)_spec.Scaling).ToString("R", CultureInfo.InvariantCulture)}f;";
    }

    public override string Formula => "W = weight + (alpha/R)·lora_B·lora_A; y = x·weightᵀ + ((alpha/R)·x·lora_Aᵀ)·lora_Bᵀ";

    public override int ForwardScratchPerRow => _spec.Rank;

    public override int BackwardScratchPerRow => 2 * _spec.Rank;

    /// <summary>The training forward keeps the scaled update input <c>h</c>; the base layer needs only x.</summary>
    public override int SavedPerRow => Scope.Keeps ? _spec.Rank : 0;

    public override string SavedDescription => "h = (alpha/R)·x·lora_Aᵀ [rows, R]";

    public override KeptRows? Kept => new KeptRows(Scope.Scratch, R, _spec.Rank, "h = (alpha/R)·x·lora_Aᵀ");

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        int i = _spec.In, o = _spec.Out, r = _spec.Rank;
        string x = Scope.X, y = Scope.Y, s = Scope.Scratch;
        w.Line($"// base layer: {y} {OutputAssign} {x}·weightᵀ: [rows, {i}] × [{i}, {o}]  ({CompositeText.Number(2L * i * o)} FLOPs/row)");
        w.Line(kernels.Call(GemmKind.Nt, o, i, $"ref {x}, {In}, {At("p", Offset("weight"))}, {In}, ref {y}, {Out}, rows, accumulate: {Scope.AccumulateOutput}"));
        w.Line($"ref float h = ref {SavedOr(s)}; // [rows, R]{KeptForBackward}");
        w.Line($"// update: h = {x}·lora_Aᵀ: [rows, {i}] × [{i}, {r}]{(Scaled ? ", then h *= alpha/R" : " (alpha = R: scaling 1)")}");
        WriteUpdateInput(w, kernels);
        w.Line($"// {y} += h·lora_Bᵀ: [rows, {r}] × [{r}, {o}]");
        w.Line(kernels.Call(GemmKind.Nt, o, r, $"ref h, {R}, {At("p", Offset("lora_B"))}, {R}, ref {y}, {Out}, rows, accumulate: true"));
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        int i = _spec.In, o = _spec.Out, r = _spec.Rank;
        string x = Scope.X, dy = Scope.Dy, dx = Scope.Dx, s = Scope.Scratch;
        w.Line($"// base layer: {dx} {InputGradientAssign} {dy}·weight;  ∂weight += {dy}ᵀ·{x}");
        w.Line(kernels.Call(GemmKind.Nn, o, i, $"ref {dy}, {Out}, {At("p", Offset("weight"))}, {In}, ref {dx}, {In}, rows, accumulate: {Scope.AccumulateInputGradient}"));
        w.Line(kernels.Call(GemmKind.Tn, o, i, $"ref {dy}, {Out}, ref {x}, {In}, {At("g", Offset("weight"))}, {In}, rows"));
        w.Line($"ref float h = ref {SavedOr(s)}; // [rows, R] (scaled){KeptOrRecomputed}");
        w.Line($"ref float dh = ref Unsafe.Add(ref {s}, TileRows * {R}); // [rows, R]");
        WriteUnlessSaved(w, () => WriteUpdateInput(w, kernels));
        w.Line($"// update: ∂lora_B += {dy}ᵀ·h;  dh = {dy}·lora_B{(Scaled ? ", then dh *= alpha/R" : "")}");
        w.Line(kernels.Call(GemmKind.Tn, o, r, $"ref {dy}, {Out}, ref h, {R}, {At("g", Offset("lora_B"))}, {R}, rows"));
        w.Line(kernels.Call(GemmKind.Nn, o, r, $"ref {dy}, {Out}, {At("p", Offset("lora_B"))}, {R}, ref dh, {R}, rows, accumulate: false"));
        if (Scaled)
        {
            w.Line($"global::StructGen.Kernels.CompositeOps.Scale(ref dh, rows * {R}, {Scaling});");
        }
        w.Line($"// {dx} += dh·lora_A;  ∂lora_A += dhᵀ·{x}");
        w.Line(kernels.Call(GemmKind.Nn, r, i, $"ref dh, {R}, {At("p", Offset("lora_A"))}, {In}, ref {dx}, {In}, rows, accumulate: true"));
        w.Line(kernels.Call(GemmKind.Tn, r, i, $"ref dh, {R}, ref {x}, {In}, {At("g", Offset("lora_A"))}, {In}, rows"));
    }

    /// <summary><c>h = (α/R)·x·lora_Aᵀ</c> into <c>h</c>.</summary>
    private void WriteUpdateInput(IndentedTextWriter w, KernelSet kernels)
    {
        w.Line(kernels.Call(GemmKind.Nt, _spec.Rank, _spec.In, $"ref {Scope.X}, {In}, {At("p", Offset("lora_A"))}, {In}, ref h, {R}, rows, accumulate: false"));
        if (Scaled)
        {
            w.Line($"global::StructGen.Kernels.CompositeOps.Scale(ref h, rows * {R}, {Scaling});");
        }
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        string d = Scope.Dense, assign = Scope.DenseAssign;
        w.Lines(
$@"// W {assign} weight + (alpha/R)·Σ_r lora_B[o, r]·lora_A[r, i]
for (nint o = 0; o < {Out}; o++)
{{
    for (nint i = 0; i < {In}; i++)
    {{
        Unsafe.Add(ref {d}, o * {In} + i) {assign} Unsafe.Add(ref p, {Offset("weight")} + o * {In} + i);
    }}
    for (nint r = 0; r < {R}; r++)
    {{
        float b = {Scaling} * Unsafe.Add(ref p, {Offset("lora_B")} + o * {R} + r);
        for (nint i = 0; i < {In}; i++)
        {{
            Unsafe.Add(ref {d}, o * {In} + i) += b * Unsafe.Add(ref p, {Offset("lora_A")} + r * {In} + i);
        }}
    }}
}}");
    }
}
