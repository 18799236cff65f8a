using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Kronecker facet: with each input row viewed as <c>X [In1, In2]</c>, <c>T = X·w2ᵀ</c> for all rows at
/// once (one product over <c>rows·In1</c> rows), then <c>Y = w1·T</c> per row.
/// </summary>
internal sealed class KroneckerEmitter : StructureEmitter
{
    private readonly KroneckerSpec _spec;

    public KroneckerEmitter(KroneckerSpec spec, EmitScope scope)
        : base(scope) => _spec = spec;

    public override LayerSpec Spec => _spec;

    private string In1 => C("In1");

    private string Out1 => C("Out1");

    private string In2 => C("In2");

    private string Out2 => C("Out2");

    public override IEnumerable<string> Constants()
    {
        yield return $"/// <summary>w1 is [Out1, In1].</summary>\nprivate const int {In1} = {_spec.In1}, {Out1} = {_spec.Out1};";
        yield return $"/// <summary>w2 is [Out2, In2].</summary>\nprivate const int {In2} = {_spec.In2}, {Out2} = {_spec.Out2};";
    }

    public override string Formula => "W = w1 ⊗ w2; per row X = x as [In1, In2], Y = w1·X·w2ᵀ";

    /// <summary>
    /// A layer's own Kronecker requests the next tile's rows in its per-row loop: its first pass reads the tile's rows in
    /// one sweep, a fresh 4 KB page per row at n = 1024, that the hardware prefetchers do not run ahead of.
    /// </summary>
    public override bool RequestsNextTile => OwnLayer;

    public override bool RequestsNextTileBackward => OwnLayer;

    public override int ForwardScratchPerRow => _spec.In1 * _spec.Out2;

    public override int BackwardScratchPerRow => 2 * _spec.In1 * _spec.Out2;

    public override int SavedPerRow => Scope.Keeps ? _spec.In1 * _spec.Out2 : 0;

    public override KeptRows? Kept => new KeptRows(Scope.Scratch, $"{In1} * {Out2}", _spec.In1 * _spec.Out2, "T = X·w2ᵀ");

    public override string SavedDescription => "T = X·w2ᵀ [rows·In1, Out2]";

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        string x = Scope.X, y = Scope.Y, s = Scope.Scratch;
        w.Line($"ref float t = ref {SavedOr(s)}; // [rows·In1, Out2]{KeptForBackward}");
        w.Line($"// T = X·w2ᵀ for all rows: [rows·{_spec.In1}, {_spec.In2}] × [{_spec.In2}, {_spec.Out2}]");
        w.Line(kernels.Call(GemmKind.Nt, _spec.Out2, _spec.In2, $"ref {x}, {In2}, {At("p", Offset("w2"))}, {In2}, ref t, {Out2}, rows * {In1}, accumulate: false"));
        w.Line($"// Y_b {OutputAssign} w1·T_b: [{_spec.Out1}, {_spec.In1}] × [{_spec.In1}, {_spec.Out2}] per row");
        using (w.OpenBlock("for (int b = 0; b < rows; b++)"))
        {
            if (RequestsNextTile)
            {
                WriteNextTileRequests(w);
            }
            w.Line(kernels.Call(GemmKind.Nn, _spec.In1, _spec.Out2,
                $"{At("p", Offset("w1"))}, {In1}, ref Unsafe.Add(ref t, (nint)b * {In1} * {Out2}), {Out2}, ref Unsafe.Add(ref {y}, (nint)b * {Out}), {Out2}, {Out1}, accumulate: {Scope.AccumulateOutput}"));
        }
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        string x = Scope.X, dy = Scope.Dy, dx = Scope.Dx, s = Scope.Scratch;
        w.Line($"ref float t = ref {SavedOr(s)}; // [rows·In1, Out2]{KeptOrRecomputed}");
        w.Line($"ref float dt = ref Unsafe.Add(ref {s}, TileRows * {In1} * {Out2}); // [rows·In1, Out2]");
        WriteUnlessSaved(w, () => w.Line(kernels.Call(GemmKind.Nt, _spec.Out2, _spec.In2, $"ref {x}, {In2}, {At("p", Offset("w2"))}, {In2}, ref t, {Out2}, rows * {In1}, accumulate: false")));
        w.Line($"RowOps.Clear(ref dt, 0, rows * {In1} * {Out2}, 1);");
        using (w.OpenBlock("for (int b = 0; b < rows; b++)"))
        {
            w.Line($"ref float dyb = ref Unsafe.Add(ref {dy}, (nint)b * {Out});");
            w.Line($"ref float tb = ref Unsafe.Add(ref t, (nint)b * {In1} * {Out2});");
            if (RequestsNextTileBackward)
            {
                WriteNextTileRequest(w, Scope.Dy, Out, "b");
                WriteNextTileRequests(w);
            }
            w.Line("// dT_b = w1ᵀ·dY_b;  ∂w1 += dY_b·T_bᵀ");
            w.Line(kernels.Call(GemmKind.Tn, _spec.In1, _spec.Out2,
                $"{At("p", Offset("w1"))}, {In1}, ref dyb, {Out2}, ref Unsafe.Add(ref dt, (nint)b * {In1} * {Out2}), {Out2}, {Out1}"));
            w.Line(kernels.Call(GemmKind.Nt, _spec.In1, _spec.Out2,
                $"ref dyb, {Out2}, ref tb, {Out2}, {At("g", Offset("w1"))}, {In1}, {Out1}, accumulate: true"));
        }
        w.Line($"// ∂w2 += dTᵀ·X;  dX {InputGradientAssign} dT·w2 (over all rows·In1 rows)");
        w.Line(kernels.Call(GemmKind.Tn, _spec.Out2, _spec.In2, $"ref dt, {Out2}, ref {x}, {In2}, {At("g", Offset("w2"))}, {In2}, rows * {In1}"));
        w.Line(kernels.Call(GemmKind.Nn, _spec.Out2, _spec.In2, $"ref dt, {Out2}, {At("p", Offset("w2"))}, {In2}, ref {dx}, {In2}, rows * {In1}, accumulate: {Scope.AccumulateInputGradient}"));
    }

    /// <summary>
    /// Row b of the next tile's input and, where the training forward keeps <c>T</c>, of its saved rows (which the next
    /// forward writes and the next backward reads).
    /// </summary>
    private void WriteNextTileRequests(IndentedTextWriter w)
    {
        WriteNextTileRequest(w, Scope.X, In, "b");
        if (Scope.Saves)
        {
            WriteNextTileRequest(w, "t", $"{In1} * {Out2}", "b", when: Scope.UseSaved, label: "its saved T");
        }
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        string d = Scope.Dense, assign = Scope.DenseAssign;
        w.Lines(
$@"// W[i1·Out2 + i2, j1·In2 + j2] {assign} w1[i1, j1]·w2[i2, j2]
for (nint i1 = 0; i1 < {Out1}; i1++)
{{
    for (nint j1 = 0; j1 < {In1}; j1++)
    {{
        float a = Unsafe.Add(ref p, {Offset("w1")} + i1 * {In1} + j1);
        for (nint i2 = 0; i2 < {Out2}; i2++)
        {{
            for (nint j2 = 0; j2 < {In2}; j2++)
            {{
                Unsafe.Add(ref {d}, (i1 * {Out2} + i2) * {In} + j1 * {In2} + j2) {assign} a * Unsafe.Add(ref p, {Offset("w2")} + i2 * {In2} + j2);
            }}
        }}
    }}
}}");
    }
}
