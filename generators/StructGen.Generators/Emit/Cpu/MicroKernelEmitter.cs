using StructGen.Generators.Helpers;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Writes the register blocks the product kernels call (<see cref="MicroKernel"/>). Each keeps its accumulators in
/// registers over the whole reduction: per step it loads <c>Vectors</c> vectors of one operand, broadcasts <c>Rows</c>
/// scalars of the other and issues <c>Rows × Vectors</c> independent FMAs, so 4 × 3 blocks of Vector256 use 12
/// accumulators + 3 loads + 1 broadcast = the 16 AVX registers and hide the FMA latency, and 8 × 3 blocks of Vector512 use 24
/// of AVX-512's 32 (enough independent FMAs for two 512-bit FMA pipes).
/// </summary>
internal static class MicroKernelEmitter
{
    public static void Emit(IndentedTextWriter w, MicroKernel k)
    {
        if (k.Kind == GemmKind.Nn)
        {
            EmitNn(w, k);
        }
        else
        {
            EmitTn(w, k);
        }
    }

    /// <summary>y[i, j] (+)= Σ_m a[i, m]·w[m, j]: rows of a times w, vectors along j.</summary>
    private static void EmitNn(IndentedTextWriter w, MicroKernel k)
    {
        VectorWidth v = k.Width;
        int width = k.Vectors * v.Lanes;
        w.Line("/// <summary>");
        w.Line($"/// y[i, j] (+)= Σ_{{m &lt; depth}} a[i, m]·w[m, j] for i &lt; {k.Rows}, j &lt; {width}: {k.Rows} × {k.Vectors} {v.Name} accumulators;");
        w.Line($"/// each step over m loads {k.Vectors} vector{(k.Vectors == 1 ? "" : "s")} of w's row m and broadcasts a[i, m].");
        w.Line("/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (w.OpenBlock($"private static void {k.MethodName}(ref float a, nint lda, ref float w, nint ldw, ref float y, nint ldy, nint depth, bool add)"))
        {
            for (int i = 0; i < k.Rows; i++)
            {
                w.Line(i == 0 ? "ref float a0 = ref a;" : $"ref float a{i} = ref Unsafe.Add(ref a, {i} * lda);");
                w.Line(i == 0 ? "ref float y0 = ref y;" : $"ref float y{i} = ref Unsafe.Add(ref y, {i} * ldy);");
            }
            for (int i = 0; i < k.Rows; i++)
            {
                for (int j = 0; j < k.Vectors; j++)
                {
                    w.Line($"{v.Type} acc{i}{j} = add ? {v.Load($"y{i}", (j * v.Lanes).ToString())} : {v.Zero};");
                }
            }
            using (w.OpenBlock("for (nint m = 0; m < depth; m++)"))
            {
                w.Line("ref float wm = ref Unsafe.Add(ref w, m * ldw);");
                for (int j = 0; j < k.Vectors; j++)
                {
                    w.Line($"{v.Type} wv{j} = {v.Load("wm", (j * v.Lanes).ToString())};");
                }
                for (int i = 0; i < k.Rows; i++)
                {
                    w.Line($"{v.Type} av{i} = {v.Broadcast($"Unsafe.Add(ref a{i}, m)")};");
                    for (int j = 0; j < k.Vectors; j++)
                    {
                        w.Line($"acc{i}{j} = {v.Fma($"av{i}", $"wv{j}", $"acc{i}{j}")};");
                    }
                }
            }
            for (int i = 0; i < k.Rows; i++)
            {
                for (int j = 0; j < k.Vectors; j++)
                {
                    w.Line(v.Store($"acc{i}{j}", $"y{i}", (j * v.Lanes).ToString()));
                }
            }
        }
    }

    /// <summary>w[i, j] += Σ_b a[b, i]·x[b, j]: a block of gradient rows accumulates aᵀ·x over the rows b.</summary>
    private static void EmitTn(IndentedTextWriter w, MicroKernel k)
    {
        VectorWidth v = k.Width;
        int width = k.Vectors * v.Lanes;
        w.Line("/// <summary>");
        w.Line($"/// w[i, j] += Σ_{{b &lt; rows}} a[b, i]·x[b, j] for i &lt; {k.Rows}, j &lt; {width}: {k.Rows} × {k.Vectors} {v.Name} accumulators hold the");
        w.Line($"/// gradient block while every row b adds its outer product; each step loads {k.Vectors} vector{(k.Vectors == 1 ? "" : "s")} of x's row b and broadcasts a[b, i].");
        w.Line("/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (w.OpenBlock($"private static void {k.MethodName}(ref float a, nint lda, ref float x, nint ldx, ref float w, nint ldw, nint rows)"))
        {
            for (int i = 0; i < k.Rows; i++)
            {
                w.Line(i == 0 ? "ref float w0 = ref w;" : $"ref float w{i} = ref Unsafe.Add(ref w, {i} * ldw);");
            }
            for (int i = 0; i < k.Rows; i++)
            {
                for (int j = 0; j < k.Vectors; j++)
                {
                    w.Line($"{v.Type} acc{i}{j} = {v.Load($"w{i}", (j * v.Lanes).ToString())};");
                }
            }
            using (w.OpenBlock("for (nint b = 0; b < rows; b++)"))
            {
                w.Line("ref float xb = ref Unsafe.Add(ref x, b * ldx);");
                w.Line("ref float ab = ref Unsafe.Add(ref a, b * lda);");
                for (int j = 0; j < k.Vectors; j++)
                {
                    w.Line($"{v.Type} xv{j} = {v.Load("xb", (j * v.Lanes).ToString())};");
                }
                for (int i = 0; i < k.Rows; i++)
                {
                    w.Line($"{v.Type} av{i} = {v.Broadcast($"Unsafe.Add(ref ab, {i})")};");
                    for (int j = 0; j < k.Vectors; j++)
                    {
                        w.Line($"acc{i}{j} = {v.Fma($"av{i}", $"xv{j}", $"acc{i}{j}")};");
                    }
                }
            }
            for (int i = 0; i < k.Rows; i++)
            {
                for (int j = 0; j < k.Vectors; j++)
                {
                    w.Line(v.Store($"acc{i}{j}", $"w{i}", (j * v.Lanes).ToString()));
                }
            }
        }
    }
}
