using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Writes the product kernels a layer uses, each specialized to its constant <c>M</c> and <c>K</c>:
/// a dispatcher that picks the widest accelerated vector type, one register-blocked variant per width
/// (4 rows × 3 vectors of accumulators in the axpy forms, 8 × 3 with Vector512, 4 × 2 dot products in the dot form, scalar tails
/// for <c>K</c> not a multiple of the width), and a
/// scalar fallback. Loops run to constants; nothing is unrolled beyond the register block, so the code
/// size does not grow with the matrix.
/// </summary>
internal static class GemmEmitter
{
    /// <summary>Rows per axpy-form register block with Vector256 and Vector128 (4 × 3 vectors: 12 of AVX2's 16 registers).</summary>
    private const int RowBlock = 4;

    /// <summary>
    /// Rows per axpy-form register block with Vector512, whose AVX-512 has 32 registers: 8 rows × 3 vectors is 24 accumulators
    /// + 3 loads + 1 broadcast. A core with two 512-bit FMA pipes (Zen 5) needs at least 8 independent FMAs in flight per
    /// 4-cycle latency, which 4 × 2 blocks (a 64-wide product's 2 + 2 split) only just give and any load stalls.
    /// </summary>
    private const int WideRowBlock = 8;

    /// <summary>Rows per axpy-form register block at width <paramref name="v"/>.</summary>
    private static int RowBlockOf(VectorWidth v) => v == VectorWidth.V512 ? WideRowBlock : RowBlock;

    /// <summary>
    /// Loops over the rows <c>index … end</c> (the caller declares <paramref name="index"/>) in register blocks: full blocks
    /// of <paramref name="rows"/>, then one block of <see cref="RowBlock"/> when a wider block leaves that many, then single rows.
    /// </summary>
    private static void RowBlockLoops(IndentedTextWriter w, string index, string end, int rows, Action<int> body)
    {
        using (w.OpenBlock($"for (; {index} + {rows} <= {end}; {index} += {rows})"))
        {
            body(rows);
        }
        if (rows > RowBlock)
        {
            using (w.OpenBlock($"if ({index} + {RowBlock} <= {end})"))
            {
                body(RowBlock);
                w.Line($"{index} += {RowBlock};");
            }
        }
        using (w.OpenBlock($"for (; {index} < {end}; {index}++)"))
        {
            body(1);
        }
    }

    /// <summary>Rows of w per dot-form register block (4 rows of x × 2 rows of w = 8 vector accumulators).</summary>
    private const int NtColumns = 2;

    /// <summary>
    /// Largest block (M·K floats) whose transpose is packed whole (into the thread's pack buffer): 32 KB, so the
    /// axpy-form kernel reads it in place from L1. Larger blocks go in panels of the same size (<see cref="MaxPanelFloats"/>).
    /// </summary>
    private const int MaxPackedFloats = 8 * 1024;

    /// <summary>Rows from which packing wᵀ pays: its M·K copies are amortized over the rows' M·K·rows FMAs.</summary>
    internal const int PackFromRows = 8;

    /// <summary>
    /// Rows from which the axpy form packs activation groups and column chunks of a <c>w</c> that fits in L2
    /// (<see cref="L2Floats"/>): below, every block of 4 rows reads w in place, from L2, and the copies of
    /// packing would cost as much as the FMAs they feed (probe, batch 16 on the Zen 4 host: block diagonal
    /// 4096 forward 0.70 → 0.66 ms, BLAST 4096 0.82–0.95 → 0.70–0.82, low rank r = 256 forward 2.0 → 1.65,
    /// Monarch 4096 backward 0.67 → 0.51–0.58). A larger w would be read from L3 once per 4 rows, so it is
    /// packed from <see cref="PackFromRows"/> rows (low rank r = 256 backward was 15 % slower unpacked).
    /// </summary>
    private const int NnPackFromRowsInL2 = 32;

    /// <summary>Floats of w that stay in a 1 MB L2 while a tile reads it again for every block of rows.</summary>
    private const long L2Floats = 256 * 1024;

    /// <summary>
    /// Whether the forward product <c>x·wᵀ</c> of this shape packs <c>wᵀ</c> (once per call) and runs the
    /// axpy-form kernel on it, which vectorizes along the outputs and needs no horizontal sums. It pays when
    /// the block is at most 32 KB and has at least one vector of outputs.
    /// </summary>
    public static bool PacksTransposed(GemmShape shape)
        => shape.Kind == GemmKind.Nt && (long)shape.M * shape.K <= MaxPackedFloats && shape.M >= VectorWidth.V256.Lanes;

    /// <summary>
    /// Whether a forward product too large to pack whole packs <c>wᵀ</c> panel by panel instead
    /// (<see cref="PanelShape"/>), each panel feeding the axpy-form kernel for every row of the tile. Since the
    /// axpy form packs its column chunks, this beats the dot form at every depth (block-diagonal 256 × 256
    /// blocks: 58 → 67 % of peak); the dot form remains for fewer than 8 outputs or rows.
    /// </summary>
    public static bool PacksPanels(GemmShape shape)
        => shape.Kind == GemmKind.Nt && !PacksTransposed(shape) && shape.M >= VectorWidth.V256.Lanes;

    /// <summary>
    /// The panels of a panel-packed product: <c>Columns</c> outputs (a divisor of M near 128 when there
    /// is one) by <c>Depth</c> inputs (so a panel holds at most <see cref="MaxPanelFloats"/> floats).
    /// </summary>
    public static (int Columns, int Depth) PanelShape(GemmShape shape)
    {
        int columns = shape.M <= 128 ? shape.M : NearDivisor(shape.M, 128, 32, 128);
        int depth = Math.Min(shape.K, MaxPanelFloats / columns);
        if (depth < shape.K)
        {
            depth = NearDivisor(shape.K, depth, depth / 2, depth);
        }
        return (columns, depth);
    }

    /// <summary>The products a panel-packed or whole-packed forward product runs on its packed panels.</summary>
    public static IEnumerable<GemmShape> Dependencies(GemmShape shape)
    {
        if (PacksTransposed(shape))
        {
            yield return new GemmShape(GemmKind.Nn, shape.K, shape.M);
        }
        else if (PacksPanels(shape))
        {
            (int columns, int depth) = PanelShape(shape);
            int[] columnSizes = shape.M % columns == 0 ? new[] { columns } : new[] { columns, shape.M % columns };
            int[] depthSizes = shape.K % depth == 0 ? new[] { depth } : new[] { depth, shape.K % depth };
            foreach (int c in columnSizes)
            {
                foreach (int d in depthSizes)
                {
                    yield return new GemmShape(GemmKind.Nn, d, c);
                }
            }
        }
    }

    /// <summary>
    /// Largest floats in one packed panel of a panel-packed product: 32 KB, which the axpy-form kernel reads in place
    /// (<see cref="SmallWFloats"/>) with the rows of x read in place too. Panels of 128 KB were packed a second time, by
    /// column chunk, and x with them (the layer's input aliases): probe, alternating builds, batch 256, low rank 4096
    /// forward 3.15–3.35 → 2.71 ms, low rank r = 256 13.6 → 12.2–12.6 ms, block diagonal 4096 7.0–7.4 → 6.2–6.3 ms,
    /// BLAST 4096 (its 128 KB blocks were packed whole) 7.6 → 6.4 ms.
    /// </summary>
    private const int MaxPanelFloats = 8 * 1024;

    /// <summary>The divisor of <paramref name="n"/> in [<paramref name="low"/>, <paramref name="high"/>] closest to <paramref name="target"/> (multiples of 8 first), else <paramref name="target"/>.</summary>
    private static int NearDivisor(int n, int target, int low, int high)
    {
        int best = 0;
        for (int d = Math.Max(1, low); d <= high; d++)
        {
            if (n % d != 0)
            {
                continue;
            }
            bool better = best == 0
                || (d % 8 == 0 && best % 8 != 0)
                || ((d % 8 == 0) == (best % 8 == 0) && Math.Abs(d - target) < Math.Abs(best - target));
            if (better)
            {
                best = d;
            }
        }
        return best == 0 ? target : best;
    }

    /// <summary>
    /// The widths a product along <paramref name="k"/> gets a variant for, widest first: every width that fits, except
    /// Vector512 where it would leave half a vector or more of scalar tail (<c>k mod 16 ≥ 8</c>) that Vector256, accelerated
    /// wherever Vector512 is, vectorizes. Monarch with 28-wide blocks (k = 28 = 16 + 12) ran 12 of its 28 columns as
    /// scalar loops with Vector512; with Vector256 (3·8 + 4) only 4.
    /// </summary>
    internal static VectorWidth[] Widths(int k)
        => VectorWidth.All.Where(v => k >= v.Lanes && !(v == VectorWidth.V512 && k % v.Lanes >= VectorWidth.V256.Lanes)).ToArray();

    public static void Emit(IndentedTextWriter w, GemmShape shape, MicroKernelSet blocks)
    {
        VectorWidth[] widths = Widths(shape.K);
        string parameters = shape.Kind switch
        {
            GemmKind.Nt => "ref float x, nint ldx, ref float w, nint ldw, ref float y, nint ldy, int rows, bool accumulate",
            GemmKind.Nn => "ref float a, nint lda, ref float w, nint ldw, ref float y, nint ldy, int rows, bool accumulate",
            _ => "ref float a, nint lda, ref float x, nint ldx, ref float w, nint ldw, int rows",
        };
        string arguments = shape.Kind switch
        {
            GemmKind.Tn => "ref a, lda, ref x, ldx, ref w, ldw, rows",
            GemmKind.Nt => "ref x, ldx, ref w, ldw, ref y, ldy, rows, accumulate",
            _ => "ref a, lda, ref w, ldw, ref y, ldy, rows, accumulate",
        };

        w.Line("/// <summary>");
        w.Line("/// " + Summary(shape));
        w.Line("/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (w.OpenBlock($"public static void {shape.MethodName}({parameters})"))
        {
            if (PacksTransposed(shape))
            {
                using (w.OpenBlock($"if (rows >= {PackFromRows})"))
                {
                    w.Line($"// Pack wᵀ [{shape.K}, {shape.M}] into this thread's pack buffer, then y = x·(wᵀ) in axpy form: vectors along the {shape.M} outputs, no horizontal sums.");
                    w.Line($"ref float t = ref global::StructGen.Kernels.PackBuffer.Weights({(long)shape.M * shape.K});");
                    w.Line($"global::StructGen.Kernels.BlockTranspose.Transpose(ref w, ldw, ref t, {shape.M}, {shape.M}, {shape.K});");
                    w.Line($"{new GemmShape(GemmKind.Nn, shape.K, shape.M).MethodName}(ref x, ldx, ref t, {shape.M}, ref y, ldy, rows, accumulate);");
                    w.Line("return;");
                }
            }
            else if (PacksPanels(shape))
            {
                using (w.OpenBlock($"if (rows >= {PackFromRows})"))
                {
                    EmitPanelPacking(w, shape);
                    w.Line("return;");
                }
            }
            foreach (VectorWidth width in widths)
            {
                using (w.OpenBlock($"if ({width.Name}.IsHardwareAccelerated)"))
                {
                    w.Line($"{shape.MethodName}_{width.Suffix}({arguments});");
                    w.Line("return;");
                }
            }
            w.Line($"{shape.MethodName}_Scalar({arguments});");
        }

        foreach (VectorWidth width in widths)
        {
            w.Line();
            string block = shape.Kind == GemmKind.Nt ? $"{RowBlock} rows × {NtColumns} rows of w" : $"{RowBlockOf(width)} rows × {NnVectors} vectors";
            w.Line($"// {width.Name}: {width.Lanes} floats per vector, {block} register block, K = {shape.K} = {shape.K / width.Lanes}·{width.Lanes} + {shape.K % width.Lanes}.");
            using (w.OpenBlock($"private static void {shape.MethodName}_{width.Suffix}({parameters})"))
            {
                switch (shape.Kind)
                {
                    case GemmKind.Nt: EmitNt(w, shape, width); break;
                    case GemmKind.Nn: EmitNn(w, shape, width, blocks); break;
                    default: EmitTn(w, shape, width, blocks); break;
                }
            }
        }

        w.Line();
        using (w.OpenBlock($"private static void {shape.MethodName}_Scalar({parameters})"))
        {
            EmitScalar(w, shape);
        }
    }

    private static void EmitPanelPacking(IndentedTextWriter w, GemmShape shape)
    {
        (int columns, int depth) = PanelShape(shape);
        int fullColumns = shape.M / columns * columns;
        int fullDepth = shape.K / depth * depth;
        w.Line($"// Pack wᵀ panel by panel ({depth} inputs × {columns} outputs, at most 32 KB, in this thread's pack buffer), then y(+)= x·panel in axpy form:");
        w.Line("// each panel is packed once per tile and reused by every row.");
        w.Line($"ref float t = ref global::StructGen.Kernels.PackBuffer.Weights({(long)columns * depth});");
        if (fullColumns > 0)
        {
            using (w.OpenBlock($"for (nint m0 = 0; m0 < {fullColumns}; m0 += {columns})"))
            {
                PanelDepthLoop(w, shape, columns, depth, fullDepth);
            }
        }
        if (fullColumns < shape.M)
        {
            using (w.OpenBlock())
            {
                w.Line($"nint m0 = {fullColumns};");
                PanelDepthLoop(w, shape, shape.M - fullColumns, depth, fullDepth);
            }
        }
    }

    private static void PanelDepthLoop(IndentedTextWriter w, GemmShape shape, int columns, int depth, int fullDepth)
    {
        if (fullDepth > 0)
        {
            using (w.OpenBlock($"for (nint k0 = 0; k0 < {fullDepth}; k0 += {depth})"))
            {
                PanelCall(w, columns, depth);
            }
        }
        if (fullDepth < shape.K)
        {
            using (w.OpenBlock())
            {
                w.Line($"nint k0 = {fullDepth};");
                PanelCall(w, columns, shape.K - fullDepth);
            }
        }
    }

    private static void PanelCall(IndentedTextWriter w, int columns, int depth)
    {
        w.Line($"global::StructGen.Kernels.BlockTranspose.Transpose(ref Unsafe.Add(ref w, m0 * ldw + k0), ldw, ref t, {columns}, {columns}, {depth});");
        w.Line($"{new GemmShape(GemmKind.Nn, depth, columns).MethodName}(ref Unsafe.Add(ref x, k0), ldx, ref t, {columns}, ref Unsafe.Add(ref y, m0), ldy, rows, accumulate || k0 != 0);");
    }

    private static string Summary(GemmShape shape) => shape.Kind switch
    {
        GemmKind.Nt => $"y[b, m] (+)= Σ_k x[b, k]·w[m, k] for m &lt; {shape.M}, k &lt; {shape.K}: rows of x times rows of w (x·wᵀ), dot-product form.",
        GemmKind.Nn => $"y[b, k] (+)= Σ_m a[b, m]·w[m, k] for m &lt; {shape.M}, k &lt; {shape.K}: rows of a times w (a·w), vectorized along k.",
        _ => $"w[m, k] += Σ_b a[b, m]·x[b, k] for m &lt; {shape.M}, k &lt; {shape.K}: accumulates aᵀ·x over the rows, vectorized along k.",
    };

    // ---- y = x·wᵀ (dot form) -------------------------------------------------------------------

    private static void EmitNt(IndentedTextWriter w, GemmShape shape, VectorWidth v)
    {
        w.Line("int b = 0;");
        using (w.OpenBlock($"for (; b + {RowBlock} <= rows; b += {RowBlock})"))
        {
            NtRowBlock(w, shape, v, RowBlock);
        }
        using (w.OpenBlock("for (; b < rows; b++)"))
        {
            NtRowBlock(w, shape, v, 1);
        }
    }

    private static void NtRowBlock(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount)
    {
        for (int i = 0; i < rowCount; i++)
        {
            w.Line($"ref float x{i} = ref Unsafe.Add(ref x, (b + {i}) * ldx);");
            w.Line($"ref float y{i} = ref Unsafe.Add(ref y, (b + {i}) * ldy);");
        }
        int start = 0;
        if (rowCount == 1 && v.Lanes >= VectorWidth.V256.Lanes && shape.M >= SingleRowColumns)
        {
            // One row: 8 rows of w at a time, so 8 independent sums hide the FMA latency, reduced together.
            start = shape.M / SingleRowColumns * SingleRowColumns;
            using (w.OpenBlock($"for (nint m = 0; m < {start}; m += {SingleRowColumns})"))
            {
                NtSingleRowBlock(w, shape, v);
            }
        }
        int fullColumns = start + (shape.M - start) / NtColumns * NtColumns;
        if (fullColumns > start)
        {
            using (w.OpenBlock($"for (nint m = {start}; m < {fullColumns}; m += {NtColumns})"))
            {
                NtBlock(w, shape, v, rowCount, NtColumns);
            }
        }
        if (fullColumns < shape.M)
        {
            using (w.OpenBlock($"for (nint m = {fullColumns}; m < {shape.M}; m++)"))
            {
                NtBlock(w, shape, v, rowCount, 1);
            }
        }
    }

    /// <summary>Rows of w per single-row dot-form block: 8 sums, reduced into one Vector256 and stored together.</summary>
    private const int SingleRowColumns = 8;

    /// <summary>
    /// Whether the single-row block reads its 8 rows of w one after another (each row's sum in two chains) rather than side
    /// by side (one chain per row, the 8 rows advancing together): for rows of at least 128 floats (512 bytes) in an even
    /// count of vectors. At batch 1 the product streams w once from L3 or memory, and in memory order the hardware prefetchers
    /// follow it: probe medians, four alternating rounds, block diagonal 4096's forward (256-float rows) 0.042–0.044 →
    /// 0.034–0.035 ms, BLAST 4096's 0.037–0.047 → 0.036–0.044 ms, low rank r = 256's 0.075–0.090 → 0.073–0.075 ms (4 chains per
    /// row measured no better for 256-float rows). Shorter rows keep the side-by-side form: Monarch 4096's 64-float rows were
    /// 8 % slower row by row (0.0201 → 0.0217 ms).
    /// </summary>
    private static bool ReadsRowByRow(int vectorK, VectorWidth v) => vectorK >= RowByRowFloats && vectorK / v.Lanes % 2 == 0;

    /// <summary>Shortest rows of w (floats) that <see cref="ReadsRowByRow"/> reads one after another.</summary>
    private const int RowByRowFloats = 128;

    /// <summary>
    /// Shortest gradient rows (floats) that a one-row weight-gradient product (a rank-1 update, batch 1) updates row by row,
    /// in memory order, 8 vectors at a time, instead of in blocks of 8 rows side by side. Probe medians, batch-1 backward,
    /// three alternating rounds: block diagonal 4096 (256-float rows) 0.082 → 0.073 ms, block diagonal 1024 (64) 0.0036 →
    /// 0.0030, BLAST 4096 0.105 → 0.095, Monarch 4096 (64) 0.057 → 0.051, low rank 4096 0.055 → 0.053, low rank 1024 0.0094 →
    /// 0.0087; 32-float rows were slower (Monarch 1024 0.0046 → 0.0051 ms), and so was the same order 3 vectors at a time
    /// (block diagonal 4096 0.081 → 0.091 ms: three FMAs between each reload of x).
    /// </summary>
    private const int RankOneRowByRowFloats = 64;

    /// <summary>
    /// One row of x against 8 rows of w (starting at <c>m</c>): 8 accumulators (one row × 2 rows of w would leave two
    /// dependent FMA chains, latency-bound at batch 1), then the 8 horizontal sums as one tree of pairwise adds into a
    /// Vector256 (AVX <c>vhaddps</c>; one <c>Sum</c> per accumulator elsewhere), stored with one vector store.
    /// </summary>
    private static void NtSingleRowBlock(IndentedTextWriter w, GemmShape shape, VectorWidth v)
    {
        const int n = SingleRowColumns;
        int vectorK = shape.K / v.Lanes * v.Lanes;
        for (int j = 0; j < n; j++)
        {
            w.Line($"ref float w{j} = ref Unsafe.Add(ref w, (m + {j}) * ldw);");
            w.Line($"{v.Type} acc{j} = {v.Zero};");
        }
        if (ReadsRowByRow(vectorK, v))
        {
            w.Line("// w in memory order: row by row, each row's sum in two chains (even and odd vectors), added at its end.");
            for (int j = 0; j < n; j++)
            {
                w.Line($"{v.Type} odd{j} = {v.Zero};");
                using (w.OpenBlock($"for (nint k = 0; k < {vectorK}; k += {2 * v.Lanes})"))
                {
                    w.Line($"acc{j} = {v.Fma(v.Load("x0", "k"), v.Load($"w{j}", "k"), $"acc{j}")};");
                    w.Line($"odd{j} = {v.Fma(v.Load("x0", $"k + {v.Lanes}"), v.Load($"w{j}", $"k + {v.Lanes}"), $"odd{j}")};");
                }
                w.Line($"acc{j} += odd{j};");
            }
        }
        else
        {
            using (w.OpenBlock($"for (nint k = 0; k < {vectorK}; k += {v.Lanes})"))
            {
                w.Line($"{v.Type} xv = {v.Load("x0", "k")};");
                for (int j = 0; j < n; j++)
                {
                    w.Line($"acc{j} = {v.Fma("xv", v.Load($"w{j}", "k"), $"acc{j}")};");
                }
            }
        }
        w.Line("Vector256<float> sums;");
        using (w.OpenBlock("if (Avx.IsSupported)"))
        {
            for (int j = 0; j < n; j++)
            {
                w.Line(v.Lanes == VectorWidth.V512.Lanes
                    ? $"Vector256<float> h{j} = acc{j}.GetLower() + acc{j}.GetUpper();"
                    : $"Vector256<float> h{j} = acc{j};");
            }
            w.Line("// hadd(a, b) = [a0+a1, a2+a3, b0+b1, b2+b3 | the same for the upper 128 bits]; two rounds leave each sum in two halves.");
            for (int j = 0; j < n / 2; j++)
            {
                w.Line($"Vector256<float> p{j} = Avx.HorizontalAdd(h{2 * j}, h{2 * j + 1});");
            }
            w.Line("Vector256<float> q0 = Avx.HorizontalAdd(p0, p1);");
            w.Line("Vector256<float> q1 = Avx.HorizontalAdd(p2, p3);");
            w.Line("sums = Avx.Permute2x128(q0, q1, 0x20) + Avx.Permute2x128(q0, q1, 0x31);");
        }
        using (w.OpenBlock("else"))
        {
            w.Line($"sums = Vector256.Create({string.Join(", ", Enumerable.Range(0, n).Select(j => v.Sum($"acc{j}")))});");
        }
        if (vectorK < shape.K)
        {
            for (int j = 0; j < n; j++)
            {
                w.Line($"float t{j} = 0f;");
            }
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                w.Line("float xk = Unsafe.Add(ref x0, k);");
                for (int j = 0; j < n; j++)
                {
                    w.Line($"t{j} += xk * Unsafe.Add(ref w{j}, k);");
                }
            }
            w.Line($"sums += Vector256.Create({string.Join(", ", Enumerable.Range(0, n).Select(j => $"t{j}"))});");
        }
        w.Line("ref float target = ref Unsafe.Add(ref y0, m);");
        w.Line("(accumulate ? Vector256.LoadUnsafe(ref target) + sums : sums).StoreUnsafe(ref target);");
    }

    private static void NtBlock(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount, int columnCount)
    {
        int vectorK = shape.K / v.Lanes * v.Lanes;
        for (int j = 0; j < columnCount; j++)
        {
            w.Line($"ref float w{j} = ref Unsafe.Add(ref w, (m + {j}) * ldw);");
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < columnCount; j++)
            {
                w.Line($"{v.Type} acc{i}{j} = {v.Zero};");
            }
        }
        using (w.OpenBlock($"for (nint k = 0; k < {vectorK}; k += {v.Lanes})"))
        {
            for (int j = 0; j < columnCount; j++)
            {
                w.Line($"{v.Type} wv{j} = {v.Load($"w{j}", "k")};");
            }
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"{v.Type} xv{i} = {v.Load($"x{i}", "k")};");
                for (int j = 0; j < columnCount; j++)
                {
                    w.Line($"acc{i}{j} = {v.Fma($"xv{i}", $"wv{j}", $"acc{i}{j}")};");
                }
            }
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < columnCount; j++)
            {
                w.Line($"float s{i}{j} = {v.Sum($"acc{i}{j}")};");
            }
        }
        if (vectorK < shape.K)
        {
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                for (int i = 0; i < rowCount; i++)
                {
                    for (int j = 0; j < columnCount; j++)
                    {
                        w.Line($"s{i}{j} += Unsafe.Add(ref x{i}, k) * Unsafe.Add(ref w{j}, k);");
                    }
                }
            }
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < columnCount; j++)
            {
                w.Line($"Unsafe.Add(ref y{i}, m + {j}) = accumulate ? Unsafe.Add(ref y{i}, m + {j}) + s{i}{j} : s{i}{j};");
            }
        }
    }

    // ---- y = a·w (axpy form, vectorized along k) ------------------------------------------------

    /// <summary>
    /// Reduction depth per pass of the axpy-form kernels: a packed <c>MBlock × 3</c>-vector chunk of <c>w</c>
    /// (24 KB with Vector256) stays in L1 while every row of the group streams past it.
    /// </summary>
    internal const int MBlock = 256;

    /// <summary>Largest packed chunk of w (24 KB): with Vector512 (48 columns) a pass is 128 deep so the chunk still fits in L1.</summary>
    private const int MaxChunkFloats = 6 * 1024;

    /// <summary>Rows packed together: a group of <c>a</c> is at most <c>RowGroup × (MBlock + 16)</c> floats (68 KB).</summary>
    internal const int RowGroup = 64;

    /// <summary>Padding of a packed row (one cache line), so packed rows never share L1/L2 sets the way 4 KB-multiple strides do.</summary>
    internal const int RowPad = 16;

    /// <summary><c>w</c> at most this many floats (32 KB) stays in L1 whole: rows outside, columns inside, no packing.</summary>
    internal const int SmallWFloats = 8 * 1024;

    /// <summary>Vectors of outputs per axpy-form register block: 4 rows × 3 vectors is 12 accumulators, 3 loads of w and 4 broadcasts of a per 12 FMAs.</summary>
    internal const int NnVectors = 3;

    /// <summary>
    /// Vectors per register block for a single row: 1 × 3 would leave three dependent FMA chains over the reduction
    /// (latency-bound at batch 1); 1 × 8 keeps eight in flight with one broadcast per eight FMAs.
    /// </summary>
    private const int SingleRowVectors = 8;

    /// <summary>
    /// Splits <paramref name="vectors"/> vectors of columns into register blocks of <paramref name="per"/> (<see cref="NnVectors"/>
    /// unless given), except that with 3 a remainder of one vector after a 3 is taken as 2 + 2 (a 1-vector block pays 4
    /// broadcasts for 4 FMAs).
    /// </summary>
    private static (int Full, int[] Tail) VectorBlocks(int vectors, int per = NnVectors)
    {
        int full = vectors / per, rest = vectors % per;
        if (per == NnVectors && rest == 1 && full > 0)
        {
            return (full - 1, new[] { 2, 2 });
        }
        return (full, rest == 0 ? Array.Empty<int>() : new[] { rest });
    }

    /// <summary>
    /// Writes the column blocks over the vectorizable columns and returns the first column left to scalars: a loop over
    /// blocks of <paramref name="per"/> vectors of width <paramref name="v"/>, then each narrower block in its own scope,
    /// then the rest of the tail in Vector128 vectors (<see cref="NarrowTailVectors"/>); <paramref name="body"/> writes
    /// one block of the given width and vector count at column <c>k</c>.
    /// </summary>
    private static int ColumnBlocks(IndentedTextWriter w, GemmShape shape, VectorWidth v, Action<VectorWidth, int> body, int per = NnVectors)
    {
        (int full, int[] tail) = VectorBlocks(shape.K / v.Lanes, per);
        int chunk = v.Lanes * per;
        if (full > 0)
        {
            using (w.OpenBlock($"for (nint k = 0; k < {full * chunk}; k += {chunk})"))
            {
                body(v, per);
            }
        }
        int start = full * chunk;
        foreach (int vectors in tail)
        {
            using (w.OpenBlock())
            {
                w.Line($"nint k = {start};");
                body(v, vectors);
            }
            start += vectors * v.Lanes;
        }
        int narrow = NarrowTailVectors(shape.K, v);
        if (narrow > 0)
        {
            using (w.OpenBlock())
            {
                w.Line($"nint k = {start}; // {narrow} Vector128 vector(s) of the tail instead of scalars");
                body(VectorWidth.V128, narrow);
            }
            start += narrow * VectorWidth.V128.Lanes;
        }
        return start;
    }

    /// <summary>
    /// Names the axpy-form loops read: which <c>a</c> (and its stride), which <c>w</c> (its row stride, and whether
    /// its columns are addressed at <c>k</c> or start at the packed chunk), which <c>y</c>, how many rows, which range of <c>m</c>.
    /// </summary>
    private readonly record struct NnOperands(string A, string Lda, string W, string Ldw, bool WAtK, string Y, string Rows, string MEnd, string Add, MicroKernelSet Blocks)
    {
        public string WRow(string m) => WAtK ? $"{m} * {Ldw} + k" : $"{m} * {Ldw}";

        /// <summary>Where column k of w's first row is.</summary>
        public string WColumn => WAtK ? $"Unsafe.Add(ref {W}, k)" : W;
    }

    private static void EmitNn(IndentedTextWriter w, GemmShape shape, VectorWidth v, MicroKernelSet blocks)
    {
        var direct = new NnOperands("a", "lda", "w", "ldw", true, "y", "rows", shape.M.ToString(), "accumulate", blocks);
        if ((long)shape.M * shape.K <= SmallWFloats)
        {
            w.Line($"// w [{shape.M}, {shape.K}] fits in L1: blocks of {RowBlockOf(v)} rows outside, column chunks inside.");
            NnRowsOutside(w, shape, v, direct);
            return;
        }

        int packFrom = (long)shape.M * shape.K <= L2Floats ? NnPackFromRowsInL2 : PackFromRows;
        using (w.OpenBlock($"if (rows < {packFrom})"))
        {
            w.Line(packFrom == PackFromRows
                ? $"// Fewer than {packFrom} rows: w streams past once, so packing would not pay. Rows outside, column chunks inside."
                : $"// Fewer than {packFrom} rows: w [{shape.M}, {shape.K}] stays in L2 and packing would cost as much as the FMAs. Rows outside, column chunks inside.");
            NnRowsOutside(w, shape, v, direct);
            w.Line("return;");
        }

        int chunk = v.Lanes * NnVectors;
        int pass = Math.Min(shape.M, Math.Min(MBlock, MaxChunkFloats / chunk));
        int packedStride = pass + RowPad;
        w.Line($"// w [{shape.M}, {shape.K}] is larger than L1. Passes of {pass} over m; per pass, each chunk of {chunk} columns of w is packed into a");
        w.Line($"// contiguous [{pass}, {chunk}] panel that stays in L1 while every row of a group of {RowGroup} uses it (w's own rows, often 4 KB");
        w.Line($"// multiples apart, would share cache sets). Rows of a whose stride aliases too (a multiple of {AliasingStride * 4} bytes) are packed per");
        w.Line($"// group (stride {packedStride}); others are read in place.");
        w.Line(PacksOperand("a", "lda"));
        w.Line($"nint aLd = packA ? {packedStride} : lda;");
        w.Line($"ref float aBuffer = ref global::StructGen.Kernels.PackBuffer.Activations({RowGroup * packedStride + pass * chunk});");
        w.Line($"ref float wc = ref Unsafe.Add(ref aBuffer, {RowGroup * packedStride});");
        using (w.OpenBlock($"for (nint m0 = 0; m0 < {shape.M}; m0 += {pass})"))
        {
            w.Line($"int mCount = global::System.Math.Min({pass}, {shape.M} - (int)m0);");
            w.Line("bool add = accumulate || m0 != 0;");
            w.Line("ref float wp = ref Unsafe.Add(ref w, m0 * ldw);");
            using (w.OpenBlock($"for (int r0 = 0; r0 < rows; r0 += {RowGroup})"))
            {
                w.Line($"int groupRows = global::System.Math.Min({RowGroup}, rows - r0);");
                GroupOperand(w, "a", "lda", "m0", "mCount", packedStride);
                w.Line("ref float yg = ref Unsafe.Add(ref y, r0 * ldy);");
                NnPackedChunks(w, shape, v, new NnOperands("ap", "aLd", "wc", "", false, "yg", "groupRows", "mCount", "add", blocks));
            }
        }
    }

    /// <summary>Blocks of rows outside, every column chunk of <c>w</c> inside (w read in place).</summary>
    private static void NnRowsOutside(IndentedTextWriter w, GemmShape shape, VectorWidth v, NnOperands o)
    {
        w.Line("int b = 0;");
        RowBlockLoops(w, "b", "rows", RowBlockOf(v), rowCount => NnColumns(w, shape, v, rowCount, o));
    }

    /// <summary>
    /// Column chunks outside: each chunk of w is packed (<c>wc</c>, row stride = chunk width), then every block of the
    /// group's rows runs over it. Vector-tail columns form one narrower chunk; scalar-tail columns read w in place.
    /// </summary>
    private static void NnPackedChunks(IndentedTextWriter w, GemmShape shape, VectorWidth v, NnOperands o)
    {
        int vectorK = ColumnBlocks(w, shape, v, (width, vectors) =>
        {
            PackChunk(w, width, vectors);
            NnRows(w, width, vectors, o with { Ldw = (vectors * width.Lanes).ToString() });
        });
        if (vectorK < shape.K)
        {
            var inPlace = o with { W = "wp", Ldw = "ldw", WAtK = true };
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                using (w.OpenBlock($"for (nint b = 0; b < {o.Rows}; b++)"))
                {
                    NnScalarColumn(w, inPlace, "b");
                }
            }
        }
    }

    /// <summary>Copies columns k … k + vectors·lanes of the pass's rows of w into the contiguous chunk <c>wc</c>.</summary>
    private static void PackChunk(IndentedTextWriter w, VectorWidth v, int vectors)
    {
        int width = vectors * v.Lanes;
        using (w.OpenBlock("for (nint m = 0; m < mCount; m++)"))
        {
            w.Line("ref float source = ref Unsafe.Add(ref wp, m * ldw + k);");
            w.Line($"ref float target = ref Unsafe.Add(ref wc, m * {width});");
            for (int j = 0; j < vectors; j++)
            {
                w.Line(v.Store(v.Load("source", (j * v.Lanes).ToString()), "target", (j * v.Lanes).ToString()));
            }
        }
    }

    /// <summary>One block of rows (starting at <c>b</c>) over every column: chunks of <see cref="NnVectors"/> vectors, one narrower vector chunk, scalar tail.</summary>
    private static void NnColumns(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount, NnOperands o)
    {
        int vectorK = ColumnBlocks(w, shape, v, (width, vectors) => NnBlock(w, width, rowCount, vectors, o), rowCount == 1 ? SingleRowVectors : NnVectors);
        if (vectorK < shape.K)
        {
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                using (w.OpenBlock($"for (nint r = b; r < b + {rowCount}; r++)"))
                {
                    NnScalarColumn(w, o, "r");
                }
            }
        }
    }

    private static void NnScalarColumn(IndentedTextWriter w, NnOperands o, string row)
    {
        w.Line($"ref float ab = ref Unsafe.Add(ref {o.A}, ({row}) * {o.Lda});");
        w.Line($"ref float yb = ref Unsafe.Add(ref {o.Y}, ({row}) * ldy + k);");
        w.Line($"float s = {o.Add} ? yb : 0f;");
        using (w.OpenBlock($"for (nint m = 0; m < {o.MEnd}; m++)"))
        {
            w.Line($"s += Unsafe.Add(ref ab, m) * Unsafe.Add(ref {o.W}, {o.WRow("m")});");
        }
        w.Line("yb = s;");
    }

    private static void NnRows(IndentedTextWriter w, VectorWidth v, int vectors, NnOperands o)
    {
        w.Line("int b = 0;");
        RowBlockLoops(w, "b", o.Rows, RowBlockOf(v), rowCount => NnBlock(w, v, rowCount, vectors, o));
    }

    private static void NnBlock(IndentedTextWriter w, VectorWidth v, int rowCount, int vectors, NnOperands o)
    {
        var kernel = new MicroKernel(GemmKind.Nn, rowCount, vectors, v);
        w.Line(o.Blocks.Call(kernel, $"ref Unsafe.Add(ref {o.A}, b * {o.Lda}), {o.Lda}, ref {o.WColumn}, {o.Ldw}, ref Unsafe.Add(ref {o.Y}, b * ldy + k), ldy, {o.MEnd}, {o.Add}"));
    }

    // ---- w += aᵀ·x (axpy form over the rows) ---------------------------------------------------

    /// <summary>
    /// Floats (16 KB) within which both operands of a weight-gradient product are read in place even from
    /// <see cref="PackFromRows"/> rows: Kronecker's per-row <c>dT_b = w1ᵀ·dY_b</c> (a 64 × 64 factor and a 64 × 64 block
    /// of one row's gradient) packed both every row.
    /// </summary>
    private const int CompactTnFloats = 4096;

    /// <summary>
    /// Floats (24 KB) within which both operands' rows of a weight-gradient product (<c>rows · (M + K)</c>) are read in
    /// place when neither stride aliases (<see cref="AliasingStride"/>): they stay in L1 as they are. Monarch's second
    /// factor (64 rows of 32 + 32 floats, 1040 apart) packed both operands of every block: probe, Monarch 1024 at batch
    /// 256, that product 0.205 → 0.18 ms.
    /// </summary>
    private const int SmallTnFloats = 6144;

    /// <summary>
    /// Strides (floats) whose multiples are packed: rows a multiple of 512 bytes apart fall into a few of L1's 64 sets and
    /// evict each other (the layer's own input, 4 KB or 16 KB a row). Scratch rows carry a cache line of padding, so
    /// consecutive rows land in consecutive sets and are read in place.
    /// </summary>
    private const int AliasingStride = 128;

    /// <summary><c>bool packA = lda % 128 == 0;</c>: whether an operand's rows alias (<see cref="AliasingStride"/>), so a group of them is packed.</summary>
    private static string PacksOperand(string operand, string ld)
        => $"bool pack{char.ToUpperInvariant(operand[0])} = {ld} % {AliasingStride} == 0;";

    /// <summary>
    /// One group's view of an operand (<c>ap</c>, <c>xp</c>): its pack buffer, filled with the group's rows of the current
    /// pass (columns from <paramref name="column"/>, <paramref name="count"/> of them, at <paramref name="packedStride"/>),
    /// when <see cref="PacksOperand"/> said so; else the operand itself, read in place from row <c>r0</c>.
    /// </summary>
    private static void GroupOperand(IndentedTextWriter w, string operand, string ld, string column, string count, int packedStride)
    {
        string pack = "pack" + char.ToUpperInvariant(operand[0]);
        w.Line($"ref float {operand}p = ref {pack} ? ref {operand}Buffer : ref Unsafe.Add(ref {operand}, r0 * {ld} + {column});");
        using (w.OpenBlock($"if ({pack})"))
        {
            using (w.OpenBlock("for (nint r = 0; r < groupRows; r++)"))
            {
                w.Line($"global::StructGen.Kernels.PackRow.Copy(ref Unsafe.Add(ref {operand}, (r0 + r) * {ld} + {column}), ref Unsafe.Add(ref {operand}Buffer, r * {packedStride}), {count});");
            }
        }
    }

    private static void EmitTn(IndentedTextWriter w, GemmShape shape, VectorWidth v, MicroKernelSet blocks)
    {
        int mPass = Math.Min(shape.M, MBlock), kPass = Math.Min(shape.K, MBlock);
        int aStride = mPass + RowPad, xStride = kPass + RowPad;
        w.Line($"// Operands within {CompactTnFloats * 4 / 1024} KB each, or within {SmallTnFloats * 4 / 1024} KB together at strides that do not alias, stay in L1 as they are:");
        w.Line("// packing them would only copy them.");
        w.Line(PacksOperand("a", "lda"));
        w.Line(PacksOperand("x", "ldx"));
        w.Line($"if (rows >= {PackFromRows} && (rows * lda > {CompactTnFloats} || rows * ldx > {CompactTnFloats}) && (rows * {shape.M + shape.K} > {SmallTnFloats} || packA || packX))");
        using (w.OpenBlock())
        {
            w.Line($"// Groups of {RowGroup} rows, passes of {mPass} over m and {kPass} over k. Per group, an operand whose rows alias (a multiple of");
            w.Line($"// {AliasingStride * 4} bytes apart, such as the layer's input) is packed contiguously (a at stride {aStride}, x at {xStride}): its rows would");
            w.Line("// otherwise evict each other from L1. The other is read in place.");
            w.Line($"ref float aBuffer = ref global::StructGen.Kernels.PackBuffer.Activations({RowGroup * (aStride + xStride)});");
            w.Line($"ref float xBuffer = ref Unsafe.Add(ref aBuffer, {RowGroup * aStride});");
            w.Line($"nint aLd = packA ? {aStride} : lda;");
            w.Line($"nint xLd = packX ? {xStride} : ldx;");
            using (w.OpenBlock($"for (int r0 = 0; r0 < rows; r0 += {RowGroup})"))
            {
                w.Line($"int groupRows = global::System.Math.Min({RowGroup}, rows - r0);");
                using (w.OpenBlock($"for (nint m0 = 0; m0 < {shape.M}; m0 += {mPass})"))
                {
                    w.Line($"int mCount = global::System.Math.Min({mPass}, {shape.M} - (int)m0);");
                    GroupOperand(w, "a", "lda", "m0", "mCount", aStride);
                    using (w.OpenBlock($"for (nint k0 = 0; k0 < {shape.K}; k0 += {kPass})"))
                    {
                        w.Line($"int kCount = global::System.Math.Min({kPass}, {shape.K} - (int)k0);");
                        GroupOperand(w, "x", "ldx", "k0", "kCount", xStride);
                        w.Line("ref float wp = ref Unsafe.Add(ref w, m0 * ldw + k0);");
                        EmitPackedTnPass(w, v, blocks);
                    }
                }
            }
            w.Line("return;");
        }
        if (shape.K >= RankOneRowByRowFloats)
        {
            using (w.OpenBlock("if (rows == 1)"))
            {
                w.Line($"// One row: a rank-1 update, each gradient row read and written in turn, in memory order, {SingleRowVectors} vectors at a time.");
                using (w.OpenBlock($"for (nint m = 0; m < {shape.M}; m++)"))
                {
                    TnColumns(w, shape, v, 1, blocks, SingleRowVectors);
                }
                w.Line("return;");
            }
        }
        int rowBlock = RowBlockOf(v);
        w.Line($"// Fewer than {PackFromRows} rows, or operands that stay in L1 as they are: packing would not pay. Blocks of {rowBlock} rows of w");
        w.Line("// outside, their columns inside, so each gradient row is read and written once, front to back.");
        int fullRows = shape.M / rowBlock * rowBlock;
        if (fullRows > 0)
        {
            using (w.OpenBlock($"for (nint m = 0; m < {fullRows}; m += {rowBlock})"))
            {
                TnColumns(w, shape, v, rowBlock, blocks);
            }
        }
        int next = fullRows;
        if (rowBlock > RowBlock && shape.M - next >= RowBlock)
        {
            using (w.OpenBlock())
            {
                w.Line($"nint m = {next};");
                TnColumns(w, shape, v, RowBlock, blocks);
            }
            next += RowBlock;
        }
        if (next < shape.M)
        {
            using (w.OpenBlock($"for (nint m = {next}; m < {shape.M}; m++)"))
            {
                TnColumns(w, shape, v, 1, blocks);
            }
        }
    }

    /// <summary>Every column of one block of rows of w (starting at <c>m</c>): chunks, vector tail, scalar tail.</summary>
    private static void TnColumns(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount, MicroKernelSet blocks, int per = NnVectors)
    {
        var inPlace = new TnOperands("w", "a", "lda", "x", "ldx", "rows", blocks);
        int vectorK = ColumnBlocks(w, shape, v, (width, vectors) => TnBlock(w, width, rowCount, vectors, inPlace), per);
        if (vectorK < shape.K)
        {
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line($"ref float wk{i} = ref Unsafe.Add(ref w, (m + {i}) * ldw + k);");
                    w.Line($"float s{i} = wk{i};");
                }
                using (w.OpenBlock("for (nint b = 0; b < rows; b++)"))
                {
                    w.Line("float xk = Unsafe.Add(ref x, b * ldx + k);");
                    for (int i = 0; i < rowCount; i++)
                    {
                        w.Line($"s{i} += Unsafe.Add(ref a, b * lda + m + {i}) * xk;");
                    }
                }
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line($"wk{i} = s{i};");
                }
            }
        }
    }

    /// <summary>
    /// Vector128 vectors that cover the tail a wider width leaves (<c>k mod lanes</c> columns, four at a time), so at most
    /// three columns stay scalar: a scalar column is a dependent chain of FMAs over the whole reduction.
    /// </summary>
    private static int NarrowTailVectors(int k, VectorWidth v)
        => v.Lanes > VectorWidth.V128.Lanes ? k % v.Lanes / VectorWidth.V128.Lanes : 0;

    /// <summary>Names the weight-gradient loops read: the gradient rows, <c>a</c> and <c>x</c> with their strides, how many rows.</summary>
    private readonly record struct TnOperands(string W, string A, string Lda, string X, string Ldx, string Rows, MicroKernelSet Blocks);

    /// <summary>
    /// One (m-pass, k-pass) of a packed group: column chunks of <see cref="NnVectors"/> vectors outside (then one
    /// narrower chunk of the remaining vectors), blocks of 4 rows of w inside, the group's rows innermost.
    /// </summary>
    private static void EmitPackedTnPass(IndentedTextWriter w, VectorWidth v, MicroKernelSet blocks)
    {
        var packed = new TnOperands("wp", "ap", "aLd", "xp", "xLd", "groupRows", blocks);
        int chunk = v.Lanes * NnVectors;
        w.Line($"// Blocks of {NnVectors} vectors, except that 4 remaining vectors go as 2 + 2; then 2, then 1, then scalars.");
        w.Line("nint k = 0;");
        using (w.OpenBlock($"for (; kCount - k >= {chunk} && (kCount - k) / {v.Lanes} != 4; k += {chunk})"))
        {
            PackedTnRows(w, v, NnVectors, packed);
        }
        using (w.OpenBlock($"for (; kCount - k >= {2 * v.Lanes}; k += {2 * v.Lanes})"))
        {
            PackedTnRows(w, v, 2, packed);
        }
        using (w.OpenBlock($"if (kCount - k >= {v.Lanes})"))
        {
            PackedTnRows(w, v, 1, packed);
            w.Line($"k += {v.Lanes};");
        }
        if (v.Lanes > VectorWidth.V128.Lanes)
        {
            using (w.OpenBlock($"for (; kCount - k >= {VectorWidth.V128.Lanes}; k += {VectorWidth.V128.Lanes}) // the tail in Vector128 steps, then scalars"))
            {
                PackedTnRows(w, VectorWidth.V128, 1, packed);
            }
        }
        using (w.OpenBlock("for (; k < kCount; k++)"))
        {
            using (w.OpenBlock("for (nint m = 0; m < mCount; m++)"))
            {
                w.Line("ref float wk = ref Unsafe.Add(ref wp, m * ldw + k);");
                w.Line("float s = wk;");
                using (w.OpenBlock("for (nint b = 0; b < groupRows; b++)"))
                {
                    w.Line("s += Unsafe.Add(ref ap, b * aLd + m) * Unsafe.Add(ref xp, b * xLd + k);");
                }
                w.Line("wk = s;");
            }
        }
    }

    private static void PackedTnRows(IndentedTextWriter w, VectorWidth v, int vectors, TnOperands o)
    {
        w.Line("nint m = 0;");
        int rowBlock = RowBlockOf(v);
        RowBlockLoops(w, "m", "mCount", rowBlock, rowCount =>
        {
            if (rowCount == rowBlock)
            {
                PrefetchNextGradientBlock(w, v.Lanes * vectors, rowBlock);
            }
            TnBlock(w, v, rowCount, vectors, o);
        });
    }

    /// <summary>
    /// Asks for the gradient rows of the next block (the next 4 or 8 rows, the same columns) while this block runs: each block
    /// reads its accumulators from the gradient and writes them back, and a layer's gradients (megabytes, touched once per
    /// tile) are rarely still in cache, so without this every block starts with four rows of memory latency that its
    /// reduction cannot hide (the hardware prefetchers do not follow rows ldw apart). Probe, alternating builds:
    /// BLAST 4096 backward at batch 256 28–29 → 24–27 ms, low rank r = 256 46 → 40–42 ms, block diagonal 4096 at batch 16
    /// 0.83–0.89 → 0.68–0.69 ms (minimums); prefetching two blocks ahead measured the same.
    /// </summary>
    private static void PrefetchNextGradientBlock(IndentedTextWriter w, int width, int rowBlock)
    {
        using (w.OpenBlock($"if (m + {2 * rowBlock} <= mCount)"))
        {
            w.Line($"ref float next = ref Unsafe.Add(ref wp, (m + {rowBlock}) * ldw + k); // the next block's gradient rows, requested ahead");
            for (int i = 0; i < rowBlock; i++)
            {
                w.Line($"global::StructGen.Kernels.Prefetch.Lines(ref {(i == 0 ? "next" : $"Unsafe.Add(ref next, {i} * ldw)")}, {width});");
            }
        }
    }

    /// <summary>Gradient rows m … m + rowCount, columns k … k + vectors·lanes: held in registers while every row adds aᵀ·x into them.</summary>
    private static void TnBlock(IndentedTextWriter w, VectorWidth v, int rowCount, int vectors, TnOperands o)
    {
        var kernel = new MicroKernel(GemmKind.Tn, rowCount, vectors, v);
        w.Line(o.Blocks.Call(kernel, $"ref Unsafe.Add(ref {o.A}, m), {o.Lda}, ref Unsafe.Add(ref {o.X}, k), {o.Ldx}, ref Unsafe.Add(ref {o.W}, m * ldw + k), ldw, {o.Rows}"));
    }

    // ---- scalar fallback -----------------------------------------------------------------------

    private static void EmitScalar(IndentedTextWriter w, GemmShape shape)
    {
        switch (shape.Kind)
        {
            case GemmKind.Nt:
                w.Lines(
$@"for (nint b = 0; b < rows; b++)
{{
    for (nint m = 0; m < {shape.M}; m++)
    {{
        float s = 0f;
        for (nint k = 0; k < {shape.K}; k++)
        {{
            s += Unsafe.Add(ref x, b * ldx + k) * Unsafe.Add(ref w, m * ldw + k);
        }}
        ref float target = ref Unsafe.Add(ref y, b * ldy + m);
        target = accumulate ? target + s : s;
    }}
}}");
                break;
            case GemmKind.Nn:
                w.Lines(
$@"for (nint b = 0; b < rows; b++)
{{
    for (nint k = 0; k < {shape.K}; k++)
    {{
        float s = accumulate ? Unsafe.Add(ref y, b * ldy + k) : 0f;
        for (nint m = 0; m < {shape.M}; m++)
        {{
            s += Unsafe.Add(ref a, b * lda + m) * Unsafe.Add(ref w, m * ldw + k);
        }}
        Unsafe.Add(ref y, b * ldy + k) = s;
    }}
}}");
                break;
            default:
                w.Lines(
$@"for (nint m = 0; m < {shape.M}; m++)
{{
    for (nint k = 0; k < {shape.K}; k++)
    {{
        float s = Unsafe.Add(ref w, m * ldw + k);
        for (nint b = 0; b < rows; b++)
        {{
            s += Unsafe.Add(ref a, b * lda + m) * Unsafe.Add(ref x, b * ldx + k);
        }}
        Unsafe.Add(ref w, m * ldw + k) = s;
    }}
}}");
                break;
        }
    }
}
