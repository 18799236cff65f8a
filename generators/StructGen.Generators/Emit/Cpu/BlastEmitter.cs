using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// BLAST facet: <c>z_j = C[j]·x_j</c> per column block, <c>h_i = Σ_j D[i, j] ∘ z_j</c> (the coupling),
/// <c>y_i = B[i]·h_i</c> per row block.
/// </summary>
internal sealed class BlastEmitter : StructureEmitter
{
    private readonly BlastSpec _spec;

    public BlastEmitter(BlastSpec spec, EmitScope scope)
        : base(scope) => _spec = spec;

    public override LayerSpec Spec => _spec;

    private string B1 => C("B1");

    private string B2 => C("B2");

    private string R => C("R");

    private string BlockOut => C("BlockOut");

    private string BlockIn => C("BlockIn");

    public override IEnumerable<string> Constants()
    {
        yield return $"/// <summary>Row blocks (b1, splitting Out) and column blocks (b2, splitting In).</summary>\nprivate const int {B1} = {_spec.RowBlocks}, {B2} = {_spec.ColumnBlocks};";
        yield return $"/// <summary>Rank of every block.</summary>\nprivate const int {R} = {_spec.Rank};";
        yield return $"/// <summary>Rows per row block (Out / b1) and columns per column block (In / b2).</summary>\nprivate const int {BlockOut} = {_spec.BlockOut}, {BlockIn} = {_spec.BlockIn};";
    }

    public override string Formula => "W_ij = B[i]·diag(D[i, j])·C[j]; z_j = C[j]·x_j, h_i = Σ_j D[i, j] ∘ z_j, y_i = B[i]·h_i";

    /// <summary>
    /// A layer's own BLAST with several row blocks writes its output one narrow column block of every row at a time (the
    /// left factors' products, only rank deep): once the call's output comes from memory (<c>Prefetch.PaysForOutput</c>,
    /// decided per call) it requests the lines of the next block of every row before it stores into them.
    /// </summary>
    private bool RequestsOutputPerCall => OwnLayer && _spec.RowBlocks > 1;

    /// <summary>
    /// A layer's own BLAST requests the next column block of x in its right factors (<see cref="StructureEmitter.WriteNextBlockPrefetch"/>,
    /// where <see cref="StructureEmitter.PrefetchPays"/>) in the same calls only. Probe, BLAST 1024's forward without the requests
    /// against with them: batch 16 2–4 % and 256 3–5 % faster (0.176 → 0.169 ms), 1024 1–3 %; 2048 10 % slower (1.53 →
    /// 1.69 ms) and 4096 20–30 % slower, where the rows come from memory. Inside a composite they stay unconditional.
    /// </summary>
    private bool RequestsInputPerCall => OwnLayer && PrefetchPays(_spec.In, _spec.BlockIn);

    public override IReadOnlyList<string> ForwardCallFlags => Flags(BlockRequestIf(RequestsOutputPerCall || RequestsInputPerCall));

    public override void WriteForwardCallSetup(IndentedTextWriter w)
        => WriteCallDecision(w, BlockRequestIf(RequestsOutputPerCall || RequestsInputPerCall),
            RequestsOutputPerCall && RequestsInputPerCall ? "The right factors request x's next column block, the left factors the lines of their next output block, once this call's output comes from memory (8 MB)."
            : RequestsOutputPerCall ? "The left factors request the lines of their next output block once this call's output comes from memory (8 MB)."
            : "The right factors request x's next column block once this call's output comes from memory (8 MB).",
            $"global::StructGen.Kernels.Prefetch.PaysForOutput((long)batch * {Out})");

    /// <summary>
    /// A layer's own BLAST backward reads dy and x and writes dx one column block of every row at a time; once the call's
    /// rows come from memory (<c>Prefetch.PaysForCall</c>, 4 MB of input, decided per call) each block loop requests the
    /// next block of those rows while the current block computes. Probe, BLAST 1024's saved backward on 64-byte-aligned
    /// buffers: 11.6 → 9.9–10.0 ms at batch 4096, 2.6 → 2.1 ms at 1024; 6 % slower at 256 (its rows lie in L3), so not
    /// there; BLAST 4096 at batch 256 (4 MB of input) level to 2 % faster.
    /// </summary>
    public override IReadOnlyList<string> BackwardCallFlags => Flags(BlockRequestIf(OwnLayer));

    public override void WriteBackwardCallSetup(IndentedTextWriter w)
        => WriteBlockRequestDecision(w, OwnLayer, "The block loops request their operands' next column block");

    public override int ForwardScratchPerRow => (_spec.RowBlocks + _spec.ColumnBlocks) * _spec.Rank;

    public override int BackwardScratchPerRow => 2 * (_spec.RowBlocks + _spec.ColumnBlocks) * _spec.Rank;

    /// <summary>The training forward keeps <c>z</c>; the coupling that makes <c>h</c> from it costs 1/(2·BlockIn) of the products and is redone.</summary>
    public override int SavedPerRow => Scope.Keeps ? _spec.ColumnBlocks * _spec.Rank : 0;

    public override KeptRows? Kept => new KeptRows(Scope.Scratch, $"{B2} * {R}", _spec.ColumnBlocks * _spec.Rank, "z = C·x per column block");

    public override string SavedDescription => "z = C·x per column block [rows, B2·R]";

    /// <summary>The right factors' products; each requests x's next column block where it pays, guarded by <paramref name="requestWhen"/> where given.</summary>
    private void WriteRightProducts(IndentedTextWriter w, KernelSet kernels, string? requestWhen = null)
    {
        string x = Scope.X;
        w.Line($"// z[b, j·R + r] = Σ_c C[j, r, c]·{x}[b, j·BlockIn + c]  ({_spec.ColumnBlocks} blocks of {_spec.Rank} × {_spec.BlockIn})");
        using (w.OpenBlock($"for (int j = 0; j < {B2}; j++)"))
        {
            if (PrefetchPays(_spec.In, _spec.BlockIn))
            {
                WriteNextBlockPrefetch(w, x, In, BlockIn, _spec.ColumnBlocks, "j", requestWhen);
            }
            w.Line(kernels.Call(GemmKind.Nt, _spec.Rank, _spec.BlockIn,
                $"ref Unsafe.Add(ref {x}, j * {BlockIn}), {In}, ref Unsafe.Add(ref p, {Offset("C")} + j * {R} * {BlockIn}), {BlockIn}, ref Unsafe.Add(ref z, j * {R}), {B2} * {R}, rows, accumulate: false"));
        }
    }

    private void WriteCoupling(IndentedTextWriter w)
    {
        w.Line("// coupling: h[b, i·R + r] = Σ_j D[i, j, r]·z[b, j·R + r]");
        w.Line($"BlastCoupling.Forward(ref z, {At("p", Offset("D"))}, ref h, {B1}, {B2}, {R}, rows);");
    }

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        string s = Scope.Scratch, y = Scope.Y;
        w.Line($"ref float z = ref {SavedOr(s)}; // [rows, B2·R]{KeptForBackward}");
        w.Line($"ref float h = ref Unsafe.Add(ref {s}, TileRows * {B2} * {R}); // [rows, B1·R]");
        WriteRightProducts(w, kernels, BlockRequestIf(RequestsInputPerCall));
        if (RequestsOutputPerCall)
        {
            w.Line($"if ({BlockRequestFlag}) global::StructGen.Kernels.Prefetch.Columns(ref {y}, {Out}, {BlockOut}, rows); // output block 0 of every row, into L2 while the coupling runs");
        }
        WriteCoupling(w);
        w.Line($"// {y}[b, i·BlockOut + o] {OutputAssign} Σ_r B[i, o, r]·h[b, i·R + r]  ({_spec.RowBlocks} blocks of {_spec.BlockOut} × {_spec.Rank})");
        using (w.OpenBlock($"for (int i = 0; i < {B1}; i++)"))
        {
            if (RequestsOutputPerCall)
            {
                w.Line($"if ({BlockRequestFlag} && i + 1 < {B1}) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref {y}, (i + 1) * {BlockOut}), {Out}, {BlockOut}, rows); // output block i + 1 of every row, into L2 before its stores");
            }
            w.Line(kernels.Call(GemmKind.Nt, _spec.BlockOut, _spec.Rank,
                $"ref Unsafe.Add(ref h, i * {R}), {B1} * {R}, ref Unsafe.Add(ref p, {Offset("B")} + i * {BlockOut} * {R}), {R}, ref Unsafe.Add(ref {y}, i * {BlockOut}), {Out}, rows, accumulate: {Scope.AccumulateOutput}"));
        }
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        string s = Scope.Scratch, x = Scope.X, dy = Scope.Dy, dx = Scope.Dx;
        w.Line($"ref float z = ref {SavedOr(s)}; // [rows, B2·R]{KeptOrRecomputed}");
        w.Line($"ref float h = ref Unsafe.Add(ref {s}, TileRows * {B2} * {R});   // [rows, B1·R], recomputed");
        w.Line($"ref float dh = ref Unsafe.Add(ref h, TileRows * {B1} * {R});  // [rows, B1·R]");
        w.Line($"ref float dz = ref Unsafe.Add(ref dh, TileRows * {B1} * {R}); // [rows, B2·R]");
        WriteUnlessSaved(w, () => WriteRightProducts(w, kernels));
        WriteCoupling(w);
        w.Line($"// left factors: dh_i = {dy}_i·B[i];  ∂B[i] += {dy}_iᵀ·h_i");
        using (w.OpenBlock($"for (int i = 0; i < {B1}; i++)"))
        {
            WriteBlockRequest(w, dy, Out, BlockOut, B1, "i");
            w.Line(kernels.Call(GemmKind.Nn, _spec.BlockOut, _spec.Rank,
                $"ref Unsafe.Add(ref {dy}, i * {BlockOut}), {Out}, ref Unsafe.Add(ref p, {Offset("B")} + i * {BlockOut} * {R}), {R}, ref Unsafe.Add(ref dh, i * {R}), {B1} * {R}, rows, accumulate: false"));
            w.Line(kernels.Call(GemmKind.Tn, _spec.BlockOut, _spec.Rank,
                $"ref Unsafe.Add(ref {dy}, i * {BlockOut}), {Out}, ref Unsafe.Add(ref h, i * {R}), {B1} * {R}, ref Unsafe.Add(ref g, {Offset("B")} + i * {BlockOut} * {R}), {R}, rows"));
        }
        w.Line("// coupling: ∂D[i, j, r] += Σ_b dh[b, i·R + r]·z[b, j·R + r];  dz[b, j·R + r] = Σ_i D[i, j, r]·dh[b, i·R + r]");
        w.Line($"BlastCoupling.Backward(ref z, ref dh, {At("p", Offset("D"))}, {At("g", Offset("D"))}, ref dz, {B1}, {B2}, {R}, rows);");
        w.Line($"// right factors: ∂C[j] += dz_jᵀ·{x}_j;  {dx}_j {InputGradientAssign} dz_j·C[j]");
        using (w.OpenBlock($"for (int j = 0; j < {B2}; j++)"))
        {
            WriteBlockRequest(w, x, In, BlockIn, B2, "j");
            WriteBlockRequest(w, dx, In, BlockIn, B2, "j");
            w.Line(kernels.Call(GemmKind.Tn, _spec.Rank, _spec.BlockIn,
                $"ref Unsafe.Add(ref dz, j * {R}), {B2} * {R}, ref Unsafe.Add(ref {x}, j * {BlockIn}), {In}, ref Unsafe.Add(ref g, {Offset("C")} + j * {R} * {BlockIn}), {BlockIn}, rows"));
            w.Line(kernels.Call(GemmKind.Nn, _spec.Rank, _spec.BlockIn,
                $"ref Unsafe.Add(ref dz, j * {R}), {B2} * {R}, ref Unsafe.Add(ref p, {Offset("C")} + j * {R} * {BlockIn}), {BlockIn}, ref Unsafe.Add(ref {dx}, j * {BlockIn}), {In}, rows, accumulate: {Scope.AccumulateInputGradient}"));
        }
    }

    /// <summary>The request, under the call's flag, for block <paramref name="index"/> + 1 of every row of <paramref name="rows"/>.</summary>
    private void WriteBlockRequest(IndentedTextWriter w, string rows, string stride, string width, string blocks, string index)
    {
        if (OwnLayer)
        {
            w.Line($"if ({BlockRequestFlag} && {index} + 1 < {blocks}) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref {rows}, ({index} + 1) * {width}), {stride}, {width}, rows); // {rows}'s block {index} + 1 of every row, into L2");
        }
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        string d = Scope.Dense;
        w.Lines(
$@"// W[i·BlockOut + o, j·BlockIn + c] {Scope.DenseAssign} Σ_r B[i, o, r]·D[i, j, r]·C[j, r, c]
for (nint i = 0; i < {B1}; i++)
{{
    for (nint j = 0; j < {B2}; j++)
    {{
        for (nint r = 0; r < {R}; r++)
        {{
            float dij = Unsafe.Add(ref p, {Offset("D")} + (i * {B2} + j) * {R} + r);
            for (nint o = 0; o < {BlockOut}; o++)
            {{
                float bd = Unsafe.Add(ref p, {Offset("B")} + (i * {BlockOut} + o) * {R} + r) * dij;
                for (nint c = 0; c < {BlockIn}; c++)
                {{
                    Unsafe.Add(ref {d}, (i * {BlockOut} + o) * {In} + j * {BlockIn} + c) += bd * Unsafe.Add(ref p, {Offset("C")} + (j * {R} + r) * {BlockIn} + c);
                }}
            }}
        }}
    }}
}}");
    }
}
