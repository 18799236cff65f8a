using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Writes the product kernels a layer uses, each specialized to its constant <c>M</c> and <c>K</c>:
/// a dispatcher that picks the widest accelerated vector type, one register-blocked variant per width
/// (4 rows × 2 vectors of accumulators, scalar tails for <c>K</c> not a multiple of the width), and a
/// scalar fallback. Loops run to constants; nothing is unrolled beyond the register block, so the code
/// size does not grow with the matrix.
/// </summary>
internal static class GemmEmitter
{
    private const int RowBlock = 4;
    private const int ColumnBlock = 2;

    /// <summary>Largest block (M·K floats) whose transpose is packed whole (into the thread's pack buffer): 128 KB.</summary>
    private const int MaxPackedFloats = 32 * 1024;

    /// <summary>Rows from which packing wᵀ pays: its M·K copies are amortized over the rows' M·K·rows FMAs.</summary>
    private const int PackFromRows = 8;

    /// <summary>
    /// Whether the forward product <c>x·wᵀ</c> of this shape packs <c>wᵀ</c> (once per call) and runs the
    /// axpy-form kernel on it, which vectorizes along the outputs and needs no horizontal sums. It pays when
    /// the block is at most 128 KB and has at least one vector of outputs.
    /// </summary>
    public static bool PacksTransposed(GemmShape shape)
        => shape.Kind == GemmKind.Nt && (long)shape.M * shape.K <= MaxPackedFloats && shape.M >= VectorWidth.V256.Lanes;

    /// <summary>
    /// Whether a forward product too large to pack whole packs <c>wᵀ</c> panel by panel instead
    /// (<see cref="PanelShape"/>), each panel feeding the axpy-form kernel for every row of the tile.
    /// </summary>
    public static bool PacksPanels(GemmShape shape)
        => shape.Kind == GemmKind.Nt && !PacksTransposed(shape) && shape.M >= VectorWidth.V256.Lanes
            && (shape.K < DotFormDepth.Low || shape.K > DotFormDepth.High);

    /// <summary>
    /// Reduction lengths where the dot form beats panel packing (measured: block-diagonal 256 × 256 blocks ran
    /// 20 % slower packed): long enough to amortize the horizontal sums, short enough that a 4 × 2 block's
    /// rows of x and w stay in L1. Shorter reductions pay a horizontal sum per few FMAs; longer ones stream
    /// x and w from L2/L3 for every block.
    /// </summary>
    private static readonly (int Low, int High) DotFormDepth = (256, 512);

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

    /// <summary>Largest floats in one packed panel of a panel-packed product: 128 KB (half of L2).</summary>
    private const int MaxPanelFloats = 32 * 1024;

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

    public static void Emit(IndentedTextWriter w, GemmShape shape)
    {
        VectorWidth[] widths = VectorWidth.All.Where(v => shape.K >= v.Lanes).ToArray();
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
            w.Line($"// {width.Name}: {width.Lanes} floats per vector, {RowBlock}×{ColumnBlock} register block, K = {shape.K} = {shape.K / width.Lanes}·{width.Lanes} + {shape.K % width.Lanes}.");
            using (w.OpenBlock($"private static void {shape.MethodName}_{width.Suffix}({parameters})"))
            {
                switch (shape.Kind)
                {
                    case GemmKind.Nt: EmitNt(w, shape, width); break;
                    case GemmKind.Nn: EmitNn(w, shape, width); break;
                    default: EmitTn(w, shape, width); break;
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
        w.Line($"// Pack wᵀ panel by panel ({depth} inputs × {columns} outputs, at most 128 KB, in this thread's pack buffer), then y(+)= x·panel in axpy form:");
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
        int fullColumns = shape.M / ColumnBlock * ColumnBlock;
        if (fullColumns > 0)
        {
            using (w.OpenBlock($"for (nint m = 0; m < {fullColumns}; m += {ColumnBlock})"))
            {
                NtBlock(w, shape, v, rowCount, ColumnBlock);
            }
        }
        if (shape.M % ColumnBlock != 0)
        {
            using (w.OpenBlock($"for (nint m = {fullColumns}; m < {shape.M}; m++)"))
            {
                NtBlock(w, shape, v, rowCount, 1);
            }
        }
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
    /// Reduction depth per pass of the axpy-form kernels: a <c>MBlock × 2</c>-vector panel of <c>w</c>
    /// (16 KB with Vector256) stays in L1 while every row of the group streams past it.
    /// </summary>
    internal const int MBlock = 256;

    /// <summary>Rows packed together: a group of <c>a</c> is at most <c>RowGroup × (MBlock + 16)</c> floats (68 KB).</summary>
    internal const int RowGroup = 64;

    /// <summary>Padding of a packed row (one cache line), so packed rows never share L1/L2 sets the way 4 KB-multiple strides do.</summary>
    internal const int RowPad = 16;

    /// <summary><c>w</c> at most this many floats (32 KB) stays in L1 whole: rows outside, columns inside, no packing.</summary>
    internal const int SmallWFloats = 8 * 1024;

    /// <summary>Names the axpy-form loops read: which <c>a</c>, <c>w</c>, <c>y</c>, how many rows, which range of <c>m</c>.</summary>
    private readonly record struct NnOperands(string A, string Lda, string W, string Y, string Rows, string MEnd, string Add);

    private static void EmitNn(IndentedTextWriter w, GemmShape shape, VectorWidth v)
    {
        if ((long)shape.M * shape.K <= SmallWFloats)
        {
            // All of w fits in L1: each block of rows runs every column chunk over it.
            var small = new NnOperands("a", "lda", "w", "y", "rows", shape.M.ToString(), "accumulate");
            w.Line($"// w [{shape.M}, {shape.K}] fits in L1: blocks of {RowBlock} rows outside, column chunks inside.");
            w.Line("int b = 0;");
            using (w.OpenBlock($"for (; b + {RowBlock} <= rows; b += {RowBlock})"))
            {
                NnColumns(w, shape, v, RowBlock, small);
            }
            using (w.OpenBlock("for (; b < rows; b++)"))
            {
                NnColumns(w, shape, v, 1, small);
            }
            return;
        }

        int pass = Math.Min(shape.M, MBlock);
        int packedStride = pass + RowPad;
        w.Line($"// w [{shape.M}, {shape.K}] is larger than L1. Passes of {pass} over m; per pass, groups of {RowGroup} rows of a are packed");
        w.Line($"// contiguously (stride {packedStride}), then each chunk of columns of w stays in L1 while every row of the group uses it.");
        w.Line($"ref float ap = ref global::StructGen.Kernels.PackBuffer.Activations({RowGroup * packedStride});");
        using (w.OpenBlock($"for (nint m0 = 0; m0 < {shape.M}; m0 += {pass})"))
        {
            w.Line($"int mCount = global::System.Math.Min({pass}, {shape.M} - (int)m0);");
            w.Line("bool add = accumulate || m0 != 0;");
            w.Line("ref float wp = ref Unsafe.Add(ref w, m0 * ldw);");
            using (w.OpenBlock($"for (int r0 = 0; r0 < rows; r0 += {RowGroup})"))
            {
                w.Line($"int groupRows = global::System.Math.Min({RowGroup}, rows - r0);");
                using (w.OpenBlock("for (nint r = 0; r < groupRows; r++)"))
                {
                    w.Line($"MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref a, (r0 + r) * lda + m0), mCount).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref ap, r * {packedStride}), mCount));");
                }
                w.Line("ref float yg = ref Unsafe.Add(ref y, r0 * ldy);");
                var packed = new NnOperands("ap", packedStride.ToString(), "wp", "yg", "groupRows", "mCount", "add");
                NnChunksOutside(w, shape, v, packed);
            }
        }
    }

    /// <summary>Column chunks outside, blocks of rows inside (the chunk of w is reused by every row).</summary>
    private static void NnChunksOutside(IndentedTextWriter w, GemmShape shape, VectorWidth v, NnOperands o)
    {
        int chunk = v.Lanes * ColumnBlock;
        int fullChunks = shape.K / chunk * chunk;
        int vectorK = shape.K / v.Lanes * v.Lanes;
        if (fullChunks > 0)
        {
            using (w.OpenBlock($"for (nint k = 0; k < {fullChunks}; k += {chunk})"))
            {
                NnRows(w, v, ColumnBlock, o);
            }
        }
        if (vectorK > fullChunks)
        {
            using (w.OpenBlock($"for (nint k = {fullChunks}; k < {vectorK}; k += {v.Lanes})"))
            {
                NnRows(w, v, 1, o);
            }
        }
        if (vectorK < shape.K)
        {
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                using (w.OpenBlock($"for (nint b = 0; b < {o.Rows}; b++)"))
                {
                    NnScalarColumn(w, o, "b");
                }
            }
        }
    }

    /// <summary>One block of rows (starting at <c>b</c>) over every column: chunks, vector tail, scalar tail.</summary>
    private static void NnColumns(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount, NnOperands o)
    {
        int chunk = v.Lanes * ColumnBlock;
        int fullChunks = shape.K / chunk * chunk;
        int vectorK = shape.K / v.Lanes * v.Lanes;
        if (fullChunks > 0)
        {
            using (w.OpenBlock($"for (nint k = 0; k < {fullChunks}; k += {chunk})"))
            {
                NnBlock(w, v, rowCount, ColumnBlock, o);
            }
        }
        if (vectorK > fullChunks)
        {
            using (w.OpenBlock($"for (nint k = {fullChunks}; k < {vectorK}; k += {v.Lanes})"))
            {
                NnBlock(w, v, rowCount, 1, o);
            }
        }
        if (vectorK < shape.K)
        {
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                for (int i = 0; i < rowCount; i++)
                {
                    using (w.OpenBlock())
                    {
                        NnScalarColumn(w, o, $"b + {i}");
                    }
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
            w.Line($"s += Unsafe.Add(ref ab, m) * Unsafe.Add(ref {o.W}, m * ldw + k);");
        }
        w.Line("yb = s;");
    }

    private static void NnRows(IndentedTextWriter w, VectorWidth v, int vectors, NnOperands o)
    {
        w.Line("int b = 0;");
        using (w.OpenBlock($"for (; b + {RowBlock} <= {o.Rows}; b += {RowBlock})"))
        {
            NnBlock(w, v, RowBlock, vectors, o);
        }
        using (w.OpenBlock($"for (; b < {o.Rows}; b++)"))
        {
            NnBlock(w, v, 1, vectors, o);
        }
    }

    private static void NnBlock(IndentedTextWriter w, VectorWidth v, int rowCount, int vectors, NnOperands o)
    {
        for (int i = 0; i < rowCount; i++)
        {
            w.Line($"ref float a{i} = ref Unsafe.Add(ref {o.A}, (b + {i}) * {o.Lda});");
            w.Line($"ref float y{i} = ref Unsafe.Add(ref {o.Y}, (b + {i}) * ldy + k);");
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < vectors; j++)
            {
                w.Line($"{v.Type} acc{i}{j} = {o.Add} ? {v.Load($"y{i}", (j * v.Lanes).ToString())} : {v.Zero};");
            }
        }
        using (w.OpenBlock($"for (nint m = 0; m < {o.MEnd}; m++)"))
        {
            w.Line($"ref float wm = ref Unsafe.Add(ref {o.W}, m * ldw + k);");
            for (int j = 0; j < vectors; j++)
            {
                w.Line($"{v.Type} wv{j} = {v.Load("wm", (j * v.Lanes).ToString())};");
            }
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"{v.Type} av{i} = {v.Broadcast($"Unsafe.Add(ref a{i}, m)")};");
                for (int j = 0; j < vectors; j++)
                {
                    w.Line($"acc{i}{j} = {v.Fma($"av{i}", $"wv{j}", $"acc{i}{j}")};");
                }
            }
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < vectors; j++)
            {
                w.Line(v.Store($"acc{i}{j}", $"y{i}", (j * v.Lanes).ToString()));
            }
        }
    }

    // ---- w += aᵀ·x (axpy form over the rows) ---------------------------------------------------

    private static void EmitTn(IndentedTextWriter w, GemmShape shape, VectorWidth v)
    {
        int mPass = Math.Min(shape.M, MBlock), kPass = Math.Min(shape.K, MBlock);
        int aStride = mPass + RowPad, xStride = kPass + RowPad;
        w.Line($"if (rows >= {PackFromRows})");
        using (w.OpenBlock())
        {
            w.Line($"// Groups of {RowGroup} rows. Per group, a[rows, m-pass of {mPass}] and x[rows, k-pass of {kPass}] are packed contiguously");
            w.Line($"// (strides {aStride} and {xStride}): strided rows, often 16 KB apart, would otherwise evict each other from L1 and L2.");
            w.Line($"ref float ap = ref global::StructGen.Kernels.PackBuffer.Activations({RowGroup * (aStride + xStride)});");
            w.Line($"ref float xp = ref Unsafe.Add(ref ap, {RowGroup * aStride});");
            using (w.OpenBlock($"for (int r0 = 0; r0 < rows; r0 += {RowGroup})"))
            {
                w.Line($"int groupRows = global::System.Math.Min({RowGroup}, rows - r0);");
                using (w.OpenBlock($"for (nint m0 = 0; m0 < {shape.M}; m0 += {mPass})"))
                {
                    w.Line($"int mCount = global::System.Math.Min({mPass}, {shape.M} - (int)m0);");
                    using (w.OpenBlock("for (nint r = 0; r < groupRows; r++)"))
                    {
                        w.Line($"MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref a, (r0 + r) * lda + m0), mCount).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref ap, r * {aStride}), mCount));");
                    }
                    using (w.OpenBlock($"for (nint k0 = 0; k0 < {shape.K}; k0 += {kPass})"))
                    {
                        w.Line($"int kCount = global::System.Math.Min({kPass}, {shape.K} - (int)k0);");
                        using (w.OpenBlock("for (nint r = 0; r < groupRows; r++)"))
                        {
                            w.Line($"MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref x, (r0 + r) * ldx + k0), kCount).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref xp, r * {xStride}), kCount));");
                        }
                        w.Line("ref float wp = ref Unsafe.Add(ref w, m0 * ldw + k0);");
                        EmitPackedTnPass(w, v, aStride, xStride);
                    }
                }
            }
            w.Line("return;");
        }
        w.Line($"// Fewer than {PackFromRows} rows: packing would not pay. Blocks of {RowBlock} rows of w outside, their columns inside,");
        w.Line("// so each gradient row is read and written once, front to back.");
        int fullRows = shape.M / RowBlock * RowBlock;
        if (fullRows > 0)
        {
            using (w.OpenBlock($"for (nint m = 0; m < {fullRows}; m += {RowBlock})"))
            {
                TnColumns(w, shape, v, RowBlock);
            }
        }
        if (shape.M % RowBlock != 0)
        {
            using (w.OpenBlock($"for (nint m = {fullRows}; m < {shape.M}; m++)"))
            {
                TnColumns(w, shape, v, 1);
            }
        }
    }

    /// <summary>Every column of one block of rows of w (starting at <c>m</c>): chunks, vector tail, scalar tail.</summary>
    private static void TnColumns(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount)
    {
        int chunk = v.Lanes * ColumnBlock;
        int fullChunks = shape.K / chunk * chunk;
        int vectorK = shape.K / v.Lanes * v.Lanes;
        if (fullChunks > 0)
        {
            using (w.OpenBlock($"for (nint k = 0; k < {fullChunks}; k += {chunk})"))
            {
                TnBlock(w, v, rowCount, ColumnBlock);
            }
        }
        if (vectorK > fullChunks)
        {
            using (w.OpenBlock($"for (nint k = {fullChunks}; k < {vectorK}; k += {v.Lanes})"))
            {
                TnBlock(w, v, rowCount, 1);
            }
        }
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

    /// <summary>One (m-pass, k-pass) of a packed group: column chunks outside, blocks of 4 rows of w inside, the group's rows innermost.</summary>
    private static void EmitPackedTnPass(IndentedTextWriter w, VectorWidth v, int aStride, int xStride)
    {
        int chunk = v.Lanes * ColumnBlock;
        w.Line("nint k = 0;");
        using (w.OpenBlock($"for (; k + {chunk} <= kCount; k += {chunk})"))
        {
            PackedTnRows(w, v, ColumnBlock, aStride, xStride);
        }
        using (w.OpenBlock($"for (; k + {v.Lanes} <= kCount; k += {v.Lanes})"))
        {
            PackedTnRows(w, v, 1, aStride, xStride);
        }
        using (w.OpenBlock("for (; k < kCount; k++)"))
        {
            using (w.OpenBlock("for (nint m = 0; m < mCount; m++)"))
            {
                w.Line("ref float wk = ref Unsafe.Add(ref wp, m * ldw + k);");
                w.Line("float s = wk;");
                using (w.OpenBlock("for (nint b = 0; b < groupRows; b++)"))
                {
                    w.Line($"s += Unsafe.Add(ref ap, b * {aStride} + m) * Unsafe.Add(ref xp, b * {xStride} + k);");
                }
                w.Line("wk = s;");
            }
        }
    }

    private static void PackedTnRows(IndentedTextWriter w, VectorWidth v, int vectors, int aStride, int xStride)
    {
        w.Line("nint m = 0;");
        using (w.OpenBlock($"for (; m + {RowBlock} <= mCount; m += {RowBlock})"))
        {
            PackedTnBlock(w, v, RowBlock, vectors, aStride, xStride);
        }
        using (w.OpenBlock("for (; m < mCount; m++)"))
        {
            PackedTnBlock(w, v, 1, vectors, aStride, xStride);
        }
    }

    private static void PackedTnBlock(IndentedTextWriter w, VectorWidth v, int rowCount, int vectors, int aStride, int xStride)
    {
        for (int i = 0; i < rowCount; i++)
        {
            w.Line($"ref float w{i} = ref Unsafe.Add(ref wp, (m + {i}) * ldw + k);");
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < vectors; j++)
            {
                w.Line($"{v.Type} acc{i}{j} = {v.Load($"w{i}", (j * v.Lanes).ToString())};");
            }
        }
        using (w.OpenBlock("for (nint b = 0; b < groupRows; b++)"))
        {
            w.Line($"ref float xb = ref Unsafe.Add(ref xp, b * {xStride} + k);");
            w.Line($"ref float ab = ref Unsafe.Add(ref ap, b * {aStride} + m);");
            for (int j = 0; j < vectors; j++)
            {
                w.Line($"{v.Type} xv{j} = {v.Load("xb", (j * v.Lanes).ToString())};");
            }
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"{v.Type} av{i} = {v.Broadcast($"Unsafe.Add(ref ab, {i})")};");
                for (int j = 0; j < vectors; j++)
                {
                    w.Line($"acc{i}{j} = {v.Fma($"av{i}", $"xv{j}", $"acc{i}{j}")};");
                }
            }
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < vectors; j++)
            {
                w.Line(v.Store($"acc{i}{j}", $"w{i}", (j * v.Lanes).ToString()));
            }
        }
    }

    private static void TnBlock(IndentedTextWriter w, VectorWidth v, int rowCount, int vectors)
    {
        for (int i = 0; i < rowCount; i++)
        {
            w.Line($"ref float w{i} = ref Unsafe.Add(ref w, (m + {i}) * ldw);");
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < vectors; j++)
            {
                w.Line($"{v.Type} acc{i}{j} = {v.Load($"w{i}", $"k + {j * v.Lanes}")};");
            }
        }
        using (w.OpenBlock("for (nint b = 0; b < rows; b++)"))
        {
            w.Line("ref float xb = ref Unsafe.Add(ref x, b * ldx + k);");
            w.Line("ref float ab = ref Unsafe.Add(ref a, b * lda + m);");
            for (int j = 0; j < vectors; j++)
            {
                w.Line($"{v.Type} xv{j} = {v.Load("xb", (j * v.Lanes).ToString())};");
            }
            for (int i = 0; i < rowCount; i++)
            {
                w.Line($"{v.Type} av{i} = {v.Broadcast($"Unsafe.Add(ref ab, {i})")};");
                for (int j = 0; j < vectors; j++)
                {
                    w.Line($"acc{i}{j} = {v.Fma($"av{i}", $"xv{j}", $"acc{i}{j}")};");
                }
            }
        }
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < vectors; j++)
            {
                w.Line(v.Store($"acc{i}{j}", $"w{i}", $"k + {j * v.Lanes}"));
            }
        }
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
