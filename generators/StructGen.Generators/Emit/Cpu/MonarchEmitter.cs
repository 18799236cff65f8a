using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Monarch facet (fly's <c>blockdiag_butterfly_multiply</c>): first block-diagonal product, the Monarch
/// permutation, second block-diagonal product, output in <c>(s l)</c> order.
/// </summary>
internal sealed class MonarchEmitter : StructureEmitter
{
    private readonly MonarchSpec _spec;
    private readonly IReadOnlyList<BlockRun> _runs;

    public MonarchEmitter(MonarchSpec spec, EmitScope scope)
        : base(scope)
    {
        _spec = spec;
        // The first factor reads In real inputs; its outputs (the inner width) are all real.
        _runs = BlockRun.Split(spec.Blocks, spec.P, spec.Q, spec.In, spec.Inner);
    }

    public override LayerSpec Spec => _spec;

    private string K => C("K");

    private string P => C("P");

    private string Q => C("Q");

    private string R => C("R");

    private string S => C("S");

    private string Inner => C("Inner");

    private string Ld => C("Ld");

    private string LdZ => C("LdZ");

    private string Slot => C("Slot");

    /// <summary>Floats of padding after each scratch row: the products' packing pad (one cache line), so rows 4 KB-multiples apart do not share cache sets.</summary>
    private const int RowPad = GemmEmitter.RowPad;

    public override IEnumerable<string> Constants()
    {
        yield return $"/// <summary>Blocks per factor (k = l).</summary>\nprivate const int {K} = {_spec.Blocks};";
        yield return $"/// <summary>Inputs per first-factor block (In' / K, In' = {_spec.PaddedIn}).</summary>\nprivate const int {P} = {_spec.P};";
        yield return $"/// <summary>Outputs per first-factor block.</summary>\nprivate const int {Q} = {_spec.Q};";
        yield return $"/// <summary>Inputs per second-factor block (l·R = k·Q).</summary>\nprivate const int {R} = {_spec.R};";
        yield return $"/// <summary>Outputs per second-factor block (Out' / K, Out' = {_spec.PaddedOut}).</summary>\nprivate const int {S} = {_spec.S};";
        yield return $"/// <summary>Width between the factors (K·Q).</summary>\nprivate const int {Inner} = {_spec.Inner};";
        yield return $"/// <summary>Row stride of u, v, du, dv in scratch: Inner plus a cache line of padding.</summary>\nprivate const int {Ld} = {_spec.Inner + RowPad};";
        yield return $"/// <summary>Row stride of z and dz in scratch: K·S plus a cache line of padding.</summary>\nprivate const int {LdZ} = {_spec.Blocks * _spec.S + RowPad};";
        yield return $"/// <summary>Floats per row of the scratch slot that u, z, dz and du take in turn: max(Ld, LdZ).</summary>\nprivate const int {Slot} = {SharedSlot};";
    }

    /// <summary>A layer's own Monarch writes its output in the output permutation, which may stream a large call's rows (and adds the bias there).</summary>
    public override bool StreamsOutput => Scope.StreamOutput is not null && !Scope.AddToOutput;

    public override string Formula => "u = blkdiag1·x (per block), v[l, r] = u[r·K + l], z = blkdiag2·v (per block), y[s·K + l] = z[l, s]";

    /// <summary>
    /// Floats per row of the scratch slot that holds u, then z (forward), or u, then dz, then du (backward): each is
    /// dead before the next is written, so the forward needs two slots of a row each and the backward three.
    /// </summary>
    private int SharedSlot => System.Math.Max(_spec.Inner, _spec.Blocks * _spec.S) + RowPad;

    public override int ForwardScratchPerRow => SharedSlot + _spec.Inner + RowPad;

    public override int BackwardScratchPerRow => SharedSlot + 2 * (_spec.Inner + RowPad);

    /// <summary>
    /// The training forward keeps <c>v</c> (the permuted first-factor output) with its scratch row stride <c>Ld</c>; inside a
    /// composite, only the Inner floats of each row (the composite copies them).
    /// </summary>
    public override int SavedPerRow => Scope.Saves ? _spec.Inner + RowPad : Scope.KeepsInScratch ? _spec.Inner : 0;

    public override KeptRows? Kept => new KeptRows(ScratchOfV, Ld, _spec.Inner, "v = the permuted first-factor output");

    public override string SavedDescription => "v = the permuted first-factor output [rows, Ld]";

    /// <summary><c>v</c>'s home: the caller's saved rows when it asked for them, else the tile's second scratch slot.</summary>
    private string HomeOfV => SavedOr(ScratchOfV);

    /// <summary><c>v</c>'s place in the tile's scratch: the second slot.</summary>
    private string ScratchOfV => $"Unsafe.Add(ref {Scope.Scratch}, TileRows * {Slot})";

    /// <summary>
    /// Whether this layer's forward may run its second factor in lanes of <c>l</c> (<c>MonarchLanes</c>): a layer's own
    /// Monarch (it writes the whole output), without output padding, whose blocks fill Vector256 lanes (K a multiple
    /// of 8; the machine's width decides at run time). A call uses them from R rows on (<see cref="WriteForwardCallSetup"/>).
    /// Probe medians against the earlier rule of two tiles (128 rows): Monarch 1024 (R = 32) at batch 32 0.026 → 0.024 ms,
    /// at 64 0.050 → 0.045; Monarch 4096 (R = 64) at 64 0.356–0.371 → 0.344–0.358; below R level (1024 at 16, 4096 at
    /// 32) or slower (4096 at 16: 0.110 → 0.120, the 1 MB re-layout).
    /// </summary>
    private bool LanesApply => StreamsOutput && _spec.PaddedOut == _spec.Out && _spec.Blocks % 8 == 0;

    public override IReadOnlyList<string> ForwardCallFlags => Flags(LanesApply ? "lanes" : null, BlockRequestIf(ForwardRequestsPerCall));

    /// <summary>
    /// Whether a layer's own forward decides per call that its first factor requests the next block of x
    /// (<see cref="StructureEmitter.WriteNextBlockPrefetch"/>): only once the call's rows come from memory
    /// (<c>Prefetch.PaysForCall</c>, 4 MB of input). Probe on the Zen 5 host, without the requests against with them:
    /// Monarch 1024 forward at batch 16, 64, 256 and 1024 4–5 % faster (0.1619 → 0.154 ms at 256), training forward 4 %,
    /// batch 4096 level; Monarch 4096 1–3 % faster at 16, 256 and 1024. They were written for batch 4096 on an older host
    /// (12–14 → 7–8 ms), where the rows come from memory, so such calls keep them. Inside a composite (no call of its own to
    /// decide in) the first factor requests them always, as before.
    /// </summary>
    private bool ForwardRequestsPerCall => OwnLayer && PrefetchPays(_spec.In, _spec.P);

    /// <summary>blkdiag2 re-laid with its blocks' elements side by side, after the tile's u and v; then, where the first factor's blocks are packed whole, blkdiag1ᵀ.</summary>
    public override int ForwardCallScratch => LanesApply ? _spec.Blocks * _spec.S * _spec.R + (PacksW1PerCall ? _spec.Blocks * _spec.P * _spec.Q : 0) : 0;

    /// <summary>Where the re-laid blkdiag2 lives in the call's scratch.</summary>
    private string LanesOfW2 => $"Unsafe.Add(ref {Scope.Scratch}, TileRows * ({Slot} + {Ld}))";

    /// <summary>
    /// Whether a call that runs in lanes also transposes the first factor's blocks once (blkdiag1ᵀ, [K, P, Q]) for all its tiles:
    /// where each block's product packs its whole wᵀ (<see cref="GemmEmitter.PacksTransposed"/>), it would otherwise transpose
    /// every block once per tile. The products then run the axpy-form kernel on the packed blocks directly, the same kernel
    /// on the same values as the per-tile packing, so the bits do not change.
    /// Only where blkdiag1ᵀ fits in L2 beside the tile (<see cref="PackedW1MaxFloats"/>): probe, Monarch 1024 (128 KB) at batch 256
    /// forward 0.1725 → 0.166 ms, training forward 0.189 → 0.181, two threads level to 4 % faster, batch 4096 level, a one-tile call
    /// (batch 64) 2 % slower; Monarch 4096 (1 MB, read back from L3) level at batch 256 and 2 % slower at batch 64.
    /// </summary>
    private bool PacksW1PerCall => LanesApply && GemmEmitter.PacksTransposed(new GemmShape(GemmKind.Nt, _spec.Q, _spec.P))
        && (long)_spec.Blocks * _spec.P * _spec.Q <= PackedW1MaxFloats;

    /// <summary>Largest blkdiag1ᵀ packed once per call: 256 KB, a quarter of L2.</summary>
    private const int PackedW1MaxFloats = 64 * 1024;

    /// <summary>Where blkdiag1ᵀ lives in the call's scratch: after the re-laid blkdiag2.</summary>
    private string PackedW1 => $"Unsafe.Add(ref {Scope.Scratch}, TileRows * ({Slot} + {Ld}) + {_spec.Blocks * _spec.S * _spec.R})";

    public override void WriteForwardCallSetup(IndentedTextWriter w)
    {
        WriteBlockRequestDecision(w, ForwardRequestsPerCall, "The first factor requests the next block of x");
        if (!LanesApply)
        {
            return;
        }
        w.Lines(
$@"// Steps 2–4 of each tile in lanes of l (MonarchLanes): y[b, s·K + l] = Σ_r blkdiag2[l, s, r]·u[b, r·K + l] reads u and
// writes y contiguously for consecutive l, so neither permutation is a pass of its own. It needs blkdiag2 with its
// blocks' elements side by side, re-laid once per call: K·S·R floats, as many as R rows of output, so worth it from R
// rows on. (The training forward still writes v, the permuted u, to the saved rows: its backward reads it.)
bool lanes = batch >= {R} && global::StructGen.Kernels.MonarchLanes.Applies({K});
if (lanes)
{{
    global::StructGen.Kernels.MonarchLanes.Relayout(ref Unsafe.Add(ref p, {Offset("blkdiag2")}), ref {LanesOfW2}, {K}, {S}, {R});");
        if (PacksW1PerCall)
        {
            w.Lines(
$@"    // Step 1's weights transposed once for the call, blkdiag1ᵀ[k, p, q] = blkdiag1[k, q, p] (K·P·Q floats): each tile's products
    // read them in axpy form instead of transposing every block again per tile.
    ref float w1t = ref {PackedW1};
    for (int k = 0; k < {K}; k++)
    {{
        global::StructGen.Kernels.BlockTranspose.Transpose(ref Unsafe.Add(ref p, {Offset("blkdiag1")} + k * {Q} * {P}), {P}, ref Unsafe.Add(ref w1t, k * {P} * {Q}), {Q}, {Q}, {P});
    }}");
        }
        w.Line("}");
    }

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        string s = Scope.Scratch;
        w.Line($"ref float u = ref {s};                             // [rows, K·Q] first factor's output");
        w.Line($"ref float v = ref {HomeOfV}; // [rows, K·R] after the permutation{KeptForBackward}");
        w.Line($"ref float z = ref {s};                             // [rows, K·S] second factor's output, over u (dead by then)");
        if (PacksW1PerCall)
        {
            w.Line($"ref float w1t = ref {PackedW1}; // [K, P, Q] blkdiag1ᵀ, packed once for a call in lanes");
        }
        WriteFirstFactor(w, kernels, packedPerCall: PacksW1PerCall, requestWhen: BlockRequestIf(ForwardRequestsPerCall));
        if (!LanesApply)
        {
            WritePermutedSecondFactor(w, kernels);
            return;
        }
        // Tiles under GemmEmitter.PackFromRows rows keep the permutation path: there its products take their dot form,
        // so the rows of a call's last tile give the same bits whichever path the call took (outputs do not depend on
        // the thread count).
        // A training forward runs in lanes too: it writes v to its saved rows first (the backward reads it), and saves
        // the second factor's pass over v and the output permutation (probe, batch 256: Monarch 1024 0.275–0.287 →
        // 0.239–0.256 ms; Monarch 4096, whose output streams, level at 1.46–1.68 ms against 1.49–1.59).
        using (w.OpenBlock($"if (lanes && rows >= {GemmEmitter.PackFromRows})"))
        {
            if (Scope.Saves)
            {
                w.Line($"if ({Scope.UseSaved}) RowOps.Transpose(ref u, ref v, {R}, {K}, {Ld}, rows); // v[b, l·R + r] = u[b, r·K + l], kept for the backward");
            }
            string bias = AddsBias ? $", {Scope.Bias}" : "";
            string plusBias = AddsBias ? " + bias[s·K + l]" : "";
            w.Line($"// 2–4. {Scope.Y}[b, s·K + l] = Σ_r blkdiag2[l, s, r]·u[b, r·K + l]{plusBias}, a vector of consecutive l at a time");
            w.Line($"global::StructGen.Kernels.MonarchLanes.SecondFactor(ref u, {Ld}, ref {LanesOfW2}, ref {Scope.Y}, {Out}, {K}, {S}, {R}, rows, {Scope.StreamOutput}{bias});");
        }
        using (w.OpenBlock("else"))
        {
            WritePermutedSecondFactor(w, kernels);
        }
    }

    /// <summary>Steps 2–4: the Monarch permutation, the second factor's products, the output order (with the bias where the facet adds it).</summary>
    private void WritePermutedSecondFactor(IndentedTextWriter w, KernelSet kernels)
    {
        string y = Scope.Y;
        w.Line("// 2. Monarch permutation: v[b, l·R + r] = u[b, r·K + l]");
        w.Line($"RowOps.Transpose(ref u, ref v, {R}, {K}, {Ld}, rows);");
        WriteSecondFactor(w, kernels);
        string padded = _spec.PaddedOut != _spec.Out ? $", the first Out = {_spec.Out} of {_spec.PaddedOut}" : "";
        if (Scope.AddToOutput)
        {
            w.Line($"// 4. output order (s l): {y}[b, s·K + l] += z[b, l·S + s]" + padded);
            w.Line($"global::StructGen.Kernels.CompositeOps.TransposeAddInto(ref z, {LdZ}, ref {y}, {Out}, {K}, {S}, {Out}, rows);");
        }
        else
        {
            string plusBias = AddsBias ? " plus bias" : "";
            string addBias = AddsBias ? " + bias[s·K + l]" : "";
            w.Line($"// 4. output order (s l){plusBias}: {y}[b, s·K + l] = z[b, l·S + s]{addBias}" + padded);
            if (StreamsOutput)
            {
                w.Line($"//    ({Scope.StreamOutput}: a call whose output the caches cannot keep writes it with streaming stores)");
            }
            string streamArguments = StreamsOutput ? $", {Scope.StreamOutput}" + (AddsBias ? $", {Scope.Bias}" : "") : "";
            w.Line($"RowOps.TransposeInto(ref z, {LdZ}, ref {y}, {Out}, {K}, {S}, {Out}, rows{streamArguments});");
        }
    }

    /// <summary>
    /// Step 1, the first factor's products; with <paramref name="packedPerCall"/>, full blocks read blkdiag1ᵀ from the call's
    /// scratch when the call runs in lanes. Where rows are far enough apart (<see cref="StructureEmitter.PrefetchPays"/>) each
    /// block requests the next block of x, guarded by the per-call flag <paramref name="requestWhen"/> where given.
    /// </summary>
    private void WriteFirstFactor(IndentedTextWriter w, KernelSet kernels, bool packedPerCall = false, string? requestWhen = null)
    {
        string x = Scope.X;
        w.Line($"// 1. u[b, k·Q + q] = Σ_p blkdiag1[k, q, p]·{x}[b, k·P + p]  ({_spec.Blocks} blocks of {_spec.Q} × {_spec.P})");
        foreach (BlockRun run in _runs)
        {
            if (_runs.Count > 1)
            {
                w.Line($"// {run.Describe(_spec.Blocks)}");
            }
            using (w.OpenBlock($"for (int k = {run.First}; k < {run.End}; k++)"))
            {
                if (run.RealIn == 0)
                {
                    w.Line($"RowOps.Clear(ref Unsafe.Add(ref u, k * {Q}), {Ld}, {Q}, rows); // padding only");
                }
                else
                {
                    if (run.RealIn == _spec.P && PrefetchPays(_spec.In, _spec.P))
                    {
                        WriteNextBlockPrefetch(w, x, In, P, run.End, when: requestWhen);
                    }
                    string product = kernels.Call(GemmKind.Nt, _spec.Q, run.RealIn,
                        $"ref Unsafe.Add(ref {x}, k * {P}), {In}, ref Unsafe.Add(ref p, {Offset("blkdiag1")} + k * {Q} * {P}), {P}, ref Unsafe.Add(ref u, k * {Q}), {Ld}, rows, accumulate: false");
                    if (packedPerCall && run.RealIn == _spec.P)
                    {
                        // Below PackFromRows rows the product takes its dot form, as the per-tile packing would.
                        w.Line($"if (lanes && rows >= {GemmEmitter.PackFromRows}) " + kernels.Call(GemmKind.Nn, _spec.P, _spec.Q,
                            $"ref Unsafe.Add(ref {x}, k * {P}), {In}, ref Unsafe.Add(ref w1t, k * {P} * {Q}), {Q}, ref Unsafe.Add(ref u, k * {Q}), {Ld}, rows, accumulate: false") + " // blkdiag1ᵀ packed for the call");
                        w.Line("else " + product);
                    }
                    else
                    {
                        w.Line(product);
                    }
                }
            }
        }
    }

    private void WriteSecondFactor(IndentedTextWriter w, KernelSet kernels)
    {
        w.Line($"// 3. z[b, l·S + s] = Σ_r blkdiag2[l, s, r]·v[b, l·R + r]  ({_spec.Blocks} blocks of {_spec.S} × {_spec.R})");
        using (w.OpenBlock($"for (int l = 0; l < {K}; l++)"))
        {
            w.Line(kernels.Call(GemmKind.Nt, _spec.S, _spec.R,
                $"ref Unsafe.Add(ref v, l * {R}), {Ld}, ref Unsafe.Add(ref p, {Offset("blkdiag2")} + l * {S} * {R}), {R}, ref Unsafe.Add(ref z, l * {S}), {LdZ}, rows, accumulate: false"));
        }
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        string s = Scope.Scratch, x = Scope.X, dy = Scope.Dy, dx = Scope.Dx;
        w.Line("// One slot holds u, then dz, then du, each dead before the next is written.");
        w.Line($"ref float u = ref {s};                             // [rows, K·Q], recomputed");
        w.Line($"ref float v = ref {HomeOfV}; // [rows, K·R]{KeptOrRecomputed}");
        w.Line($"ref float dz = ref {s};                            // [rows, K·S], over u");
        w.Line($"ref float dv = ref Unsafe.Add(ref {s}, TileRows * ({Slot} + {Ld})); // [rows, K·R]");
        w.Line($"ref float du = ref {s};                            // [rows, K·Q], over dz");
        WriteUnlessSaved(w, () =>
        {
            WriteFirstFactor(w, kernels);
            w.Line($"RowOps.Transpose(ref u, ref v, {R}, {K}, {Ld}, rows);");
        });
        w.Line($"// dz[b, l·S + s] = {dy}[b, s·K + l] (padded outputs get no gradient)");
        w.Line($"RowOps.TransposeFrom(ref {dy}, {Out}, ref dz, {LdZ}, {S}, {K}, {Out}, rows);");
        // Each factor's backward runs as two loops over its blocks: every weight-gradient product first, then every
        // input-gradient product; the second loop re-reads dz (du) from L2. Where rows are 16 KB or more apart, or the
        // call's rows come from memory (BackwardRequest), the weight-gradient loop also requests the next block of its
        // far operand (v, x) while the current block computes. Probe, Monarch 4096's saved backward at batch 256 (medians, alternating builds):
        // 3.8–3.9 ms interleaved without the requests, 3.2–3.4 with them, 3.0–3.3 as two loops.
        w.Line("// second factor: ∂blkdiag2[l] += dz_lᵀ·v_l for every block, then dv_l = dz_l·blkdiag2[l]");
        using (w.OpenBlock($"for (int l = 0; l < {K}; l++)"))
        {
            if (BackwardRequest(_spec.Inner, _spec.R) is { } requestV)
            {
                WriteNextBlockPrefetch(w, "v", Ld, R, _spec.Blocks, "l", requestV.Length == 0 ? null : requestV);
            }
            w.Line(kernels.Call(GemmKind.Tn, _spec.S, _spec.R,
                $"ref Unsafe.Add(ref dz, l * {S}), {LdZ}, ref Unsafe.Add(ref v, l * {R}), {Ld}, ref Unsafe.Add(ref g, {Offset("blkdiag2")} + l * {S} * {R}), {R}, rows"));
        }
        using (w.OpenBlock($"for (int l = 0; l < {K}; l++)"))
        {
            w.Line(kernels.Call(GemmKind.Nn, _spec.S, _spec.R,
                $"ref Unsafe.Add(ref dz, l * {S}), {LdZ}, ref Unsafe.Add(ref p, {Offset("blkdiag2")} + l * {S} * {R}), {R}, ref Unsafe.Add(ref dv, l * {R}), {Ld}, rows, accumulate: false"));
        }
        w.Line("// inverse permutation: du[b, r·K + l] = dv[b, l·R + r]");
        w.Line($"RowOps.Transpose(ref dv, ref du, {K}, {R}, {Ld}, rows);");
        w.Line($"// first factor: ∂blkdiag1[k] += du_kᵀ·{x}_k for every block, then {dx}_k {InputGradientAssign} du_k·blkdiag1[k]");
        foreach (BlockRun run in _runs)
        {
            if (run.RealIn == 0)
            {
                continue;
            }
            if (_runs.Count > 1)
            {
                w.Line($"// {run.Describe(_spec.Blocks)}");
            }
            using (w.OpenBlock($"for (int k = {run.First}; k < {run.End}; k++)"))
            {
                if (run.RealIn == _spec.P && BackwardRequest(_spec.In, _spec.P) is { } requestX)
                {
                    WriteNextBlockPrefetch(w, x, In, P, run.End, when: requestX.Length == 0 ? null : requestX);
                }
                w.Line(kernels.Call(GemmKind.Tn, _spec.Q, run.RealIn,
                    $"ref Unsafe.Add(ref du, k * {Q}), {Ld}, ref Unsafe.Add(ref {x}, k * {P}), {In}, ref Unsafe.Add(ref g, {Offset("blkdiag1")} + k * {Q} * {P}), {P}, rows"));
            }
            using (w.OpenBlock($"for (int k = {run.First}; k < {run.End}; k++)"))
            {
                w.Line(kernels.Call(GemmKind.Nn, _spec.Q, run.RealIn,
                    $"ref Unsafe.Add(ref du, k * {Q}), {Ld}, ref Unsafe.Add(ref p, {Offset("blkdiag1")} + k * {Q} * {P}), {P}, ref Unsafe.Add(ref {dx}, k * {P}), {In}, rows, accumulate: {Scope.AccumulateInputGradient}"));
            }
        }
    }

    /// <summary>
    /// When the backward's weight-gradient loop over rows of <paramref name="rowFloats"/> floats requests the next block of
    /// its far operand (v, x): <c>""</c> always, for rows 16 KB or more apart, whose backward tiles are short (20 rows at
    /// 4096) and whose blocks the caches do not keep; <c>"requestBlocks"</c>, a layer's own decision per call, for closer
    /// rows where <see cref="StructureEmitter.PrefetchPays"/> holds: Monarch 1024 (4 KB rows, 64-row tiles) is level to 5 %
    /// slower with the requests while a call's rows lie in L3 and 13–21 % faster once they come from memory
    /// (<c>Prefetch.PaysForCall</c>, from 4 MB of input); <c>null</c> never.
    /// </summary>
    private string? BackwardRequest(int rowFloats, int blockFloats)
        => !PrefetchPays(rowFloats, blockFloats) ? null : rowFloats >= 4096 ? "" : OwnLayer ? BlockRequestFlag : null;

    /// <summary>Whether the backward decides <see cref="StructureEmitter.BlockRequestFlag"/> per call (<see cref="BackwardRequest"/>).</summary>
    private bool BackwardRequestsPerCall
        => BackwardRequest(_spec.Inner, _spec.R) == BlockRequestFlag || BackwardRequest(_spec.In, _spec.P) == BlockRequestFlag;

    public override IReadOnlyList<string> BackwardCallFlags => Flags(BlockRequestIf(BackwardRequestsPerCall));

    public override void WriteBackwardCallSetup(IndentedTextWriter w)
        => WriteBlockRequestDecision(w, BackwardRequestsPerCall, "The weight-gradient products request their far operand's next block");

    public override void WriteToDense(IndentedTextWriter w)
    {
        string d = Scope.Dense;
        w.Lines(
$@"// W[s·K + l, k·P + p] {Scope.DenseAssign} Σ_q blkdiag2[l, s, r]·blkdiag1[k, q, p] where k·Q + q = r·K + l
for (nint k = 0; k < {K}; k++)
{{
    for (nint q = 0; q < {Q}; q++)
    {{
        nint m = k * {Q} + q, l = m % {K}, r = m / {K};
        for (nint s = 0; s < {S} && s * {K} + l < {Out}; s++)
        {{
            float b2 = Unsafe.Add(ref p, {Offset("blkdiag2")} + (l * {S} + s) * {R} + r);
            for (nint i = 0; i < {P} && k * {P} + i < {In}; i++)
            {{
                Unsafe.Add(ref {d}, (s * {K} + l) * {In} + k * {P} + i) += b2 * Unsafe.Add(ref p, {Offset("blkdiag1")} + (k * {Q} + q) * {P} + i);
            }}
        }}
    }}
}}");
    }
}
