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

    /// <summary>Largest block (M·K floats) whose transpose is packed on the stack: 128 KB.</summary>
    private const int MaxPackedFloats = 32 * 1024;

    /// <summary>Rows from which packing wᵀ pays: its M·K copies are amortized over the rows' M·K·rows FMAs.</summary>
    private const int PackFromRows = 8;

    /// <summary>
    /// Whether the forward product <c>x·wᵀ</c> of this shape packs <c>wᵀ</c> (once per call) and runs the
    /// axpy-form kernel on it, which vectorizes along the outputs and needs no horizontal sums. It pays when
    /// the block fits on the stack and has at least one vector of outputs.
    /// </summary>
    public static bool PacksTransposed(GemmShape shape)
        => shape.Kind == GemmKind.Nt && (long)shape.M * shape.K <= MaxPackedFloats && shape.M >= VectorWidth.V256.Lanes;

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
                    w.Line($"// Pack wᵀ [{shape.K}, {shape.M}] on the stack, then y = x·(wᵀ) in axpy form: vectors along the {shape.M} outputs, no horizontal sums.");
                    w.Line($"Span<float> packed = stackalloc float[{(long)shape.M * shape.K}];");
                    w.Line("ref float t = ref MemoryMarshal.GetReference(packed);");
                    using (w.OpenBlock($"for (nint m = 0; m < {shape.M}; m++)"))
                    {
                        w.Line("ref float row = ref Unsafe.Add(ref w, m * ldw);");
                        using (w.OpenBlock($"for (nint k = 0; k < {shape.K}; k++)"))
                        {
                            w.Line($"Unsafe.Add(ref t, k * {shape.M} + m) = Unsafe.Add(ref row, k);");
                        }
                    }
                    w.Line($"{new GemmShape(GemmKind.Nn, shape.K, shape.M).MethodName}(ref x, ldx, ref t, {shape.M}, ref y, ldy, rows, accumulate);");
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

    private static void EmitNn(IndentedTextWriter w, GemmShape shape, VectorWidth v)
    {
        w.Line("int b = 0;");
        using (w.OpenBlock($"for (; b + {RowBlock} <= rows; b += {RowBlock})"))
        {
            NnRowBlock(w, shape, v, RowBlock);
        }
        using (w.OpenBlock("for (; b < rows; b++)"))
        {
            NnRowBlock(w, shape, v, 1);
        }
    }

    private static void NnRowBlock(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount)
    {
        for (int i = 0; i < rowCount; i++)
        {
            w.Line($"ref float a{i} = ref Unsafe.Add(ref a, (b + {i}) * lda);");
            w.Line($"ref float y{i} = ref Unsafe.Add(ref y, (b + {i}) * ldy);");
        }
        int chunk = v.Lanes * ColumnBlock;
        int fullChunks = shape.K / chunk * chunk;
        if (fullChunks > 0)
        {
            using (w.OpenBlock($"for (nint k = 0; k < {fullChunks}; k += {chunk})"))
            {
                NnBlock(w, shape, v, rowCount, ColumnBlock);
            }
        }
        int vectorK = shape.K / v.Lanes * v.Lanes;
        if (vectorK > fullChunks)
        {
            using (w.OpenBlock($"for (nint k = {fullChunks}; k < {vectorK}; k += {v.Lanes})"))
            {
                NnBlock(w, shape, v, rowCount, 1);
            }
        }
        if (vectorK < shape.K)
        {
            using (w.OpenBlock($"for (nint k = {vectorK}; k < {shape.K}; k++)"))
            {
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line($"float s{i} = accumulate ? Unsafe.Add(ref y{i}, k) : 0f;");
                }
                using (w.OpenBlock($"for (nint m = 0; m < {shape.M}; m++)"))
                {
                    w.Line("float wk = Unsafe.Add(ref w, m * ldw + k);");
                    for (int i = 0; i < rowCount; i++)
                    {
                        w.Line($"s{i} += Unsafe.Add(ref a{i}, m) * wk;");
                    }
                }
                for (int i = 0; i < rowCount; i++)
                {
                    w.Line($"Unsafe.Add(ref y{i}, k) = s{i};");
                }
            }
        }
    }

    private static void NnBlock(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount, int vectors)
    {
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < vectors; j++)
            {
                w.Line($"{v.Type} acc{i}{j} = accumulate ? {v.Load($"y{i}", $"k + {j * v.Lanes}")} : {v.Zero};");
            }
        }
        using (w.OpenBlock($"for (nint m = 0; m < {shape.M}; m++)"))
        {
            w.Line("ref float wm = ref Unsafe.Add(ref w, m * ldw + k);");
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
                w.Line(v.Store($"acc{i}{j}", $"y{i}", $"k + {j * v.Lanes}"));
            }
        }
    }

    // ---- w += aᵀ·x (axpy form over the rows) ---------------------------------------------------

    private static void EmitTn(IndentedTextWriter w, GemmShape shape, VectorWidth v)
    {
        int fullRows = shape.M / RowBlock * RowBlock;
        if (fullRows > 0)
        {
            using (w.OpenBlock($"for (nint m = 0; m < {fullRows}; m += {RowBlock})"))
            {
                TnRowBlock(w, shape, v, RowBlock);
            }
        }
        if (shape.M % RowBlock != 0)
        {
            using (w.OpenBlock($"for (nint m = {fullRows}; m < {shape.M}; m++)"))
            {
                TnRowBlock(w, shape, v, 1);
            }
        }
    }

    private static void TnRowBlock(IndentedTextWriter w, GemmShape shape, VectorWidth v, int rowCount)
    {
        for (int i = 0; i < rowCount; i++)
        {
            w.Line($"ref float w{i} = ref Unsafe.Add(ref w, (m + {i}) * ldw);");
        }
        int chunk = v.Lanes * ColumnBlock;
        int fullChunks = shape.K / chunk * chunk;
        if (fullChunks > 0)
        {
            using (w.OpenBlock($"for (nint k = 0; k < {fullChunks}; k += {chunk})"))
            {
                TnBlock(w, v, rowCount, ColumnBlock);
            }
        }
        int vectorK = shape.K / v.Lanes * v.Lanes;
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
                    w.Line($"float s{i} = Unsafe.Add(ref w{i}, k);");
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
                    w.Line($"Unsafe.Add(ref w{i}, k) = s{i};");
                }
            }
        }
    }

    private static void TnBlock(IndentedTextWriter w, VectorWidth v, int rowCount, int vectors)
    {
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
