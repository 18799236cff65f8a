using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StructGen.Kernels;

/// <summary>
/// Monarch's second factor with both permutations folded into its loads and stores. With <c>v[b, l·R + r] =
/// u[b, r·K + l]</c> and <c>y[b, s·K + l] = z[b, l·S + s]</c>, the second factor and the output order are one product per
/// lane of <c>l</c>: <c>y[b, s·K + l] = Σ_r blkdiag2[l, s, r]·u[b, r·K + l]</c>. For a vector of consecutive <c>l</c>, the
/// <c>u</c> it reads (<c>u[b, r·K + l…]</c>) and the <c>y</c> it writes (<c>y[b, s·K + l…]</c>) are contiguous, so neither
/// permutation pass is needed; only <c>blkdiag2</c> must hold its <c>l</c>'s side by side, which
/// <see cref="Relayout"/> does once per call (<c>lanes[g, s, r, i] = blkdiag2[g·W + i, s, r]</c>, W the vector width).
/// Registers hold 4 rows × 4 outputs of accumulators: 8 loads per 16 FMAs, summed over r in order from zero and the bias
/// added last, as the permutation path sums: both give the same bits. Probe, generated layers, alternating builds
/// (medians): Monarch 1024's forward (32 blocks) at batch 256 0.195–0.205 → 0.173–0.179 ms, at batch 4096 3.66–3.75 →
/// 3.06–3.23 ms; Monarch 4096's (64 blocks) at batch 256 1.45–1.48 → 1.33–1.38 ms (its re-layout of 1 MB is part of it). Arguments are trusted: the generated entry points validate the buffers first.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MonarchLanes
{
    /// <summary>Blocks side by side in one vector: 16 with Vector512, 8 with Vector256, 0 where neither is accelerated.</summary>
    public static int Width => Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256.IsHardwareAccelerated ? Vector256<float>.Count : 0;

    /// <summary>Whether a Monarch of <paramref name="blocks"/> blocks can run its second factor in lanes on this machine.</summary>
    public static bool Applies(int blocks)
    {
        int width = Width;
        return width != 0 && blocks % width == 0;
    }

    /// <summary>
    /// <c>lanes[g, s, r, i] = w2[g·W + i, s, r]</c> for <c>W = </c><see cref="Width"/>: <paramref name="w2"/>
    /// <c>[blocks, outputs, inputs]</c> with each group of W blocks transposed so that their elements sit side by side.
    /// <paramref name="lanes"/> holds <c>blocks·outputs·inputs</c> floats.
    /// </summary>
    public static void Relayout(ref float w2, ref float lanes, int blocks, int outputs, int inputs)
    {
        int width = Width;
        nint plane = (nint)outputs * inputs;
        for (int g = 0; g < blocks / width; g++)
        {
            nint group = g * width * plane;
            BlockTranspose.Transpose(ref Unsafe.Add(ref w2, group), plane, ref Unsafe.Add(ref lanes, group), width, width, (int)plane);
        }
    }

    /// <summary>
    /// <c>y[b, s·K + l] = Σ_r w2[l, s, r]·u[b, r·K + l]</c> for <c>K = </c><paramref name="blocks"/>, <c>s &lt;</c>
    /// <paramref name="outputs"/>, <c>r &lt;</c> <paramref name="inputs"/>, with <paramref name="lanes"/> from
    /// <see cref="Relayout"/>.
    /// </summary>
    /// <remarks>
    /// With <paramref name="stream"/>, a call's output the caches cannot keep (<see cref="OutputStreaming"/>), Vector512 stores
    /// it with streaming stores where every vector is one whole line (<paramref name="y"/> on a 64-byte boundary, strides of
    /// whole lines); elsewhere ordinary stores, the same values.
    /// </remarks>
    public static void SecondFactor(ref float u, nint ldu, ref float lanes, ref float y, nint ldy, int blocks, int outputs, int inputs, int rows, bool stream)
        => Run(ref u, ldu, ref lanes, ref y, ldy, new Shape(blocks, outputs, inputs), rows, ref Unsafe.NullRef<float>(), stream);

    /// <summary><see cref="SecondFactor(ref float, nint, ref float, ref float, nint, int, int, int, int, bool)"/> plus <c>bias[s·K + l]</c>.</summary>
    public static void SecondFactor(ref float u, nint ldu, ref float lanes, ref float y, nint ldy, int blocks, int outputs, int inputs, int rows, bool stream, ref float bias)
        => Run(ref u, ldu, ref lanes, ref y, ldy, new Shape(blocks, outputs, inputs), rows, ref bias, stream);

    /// <summary>K blocks, S outputs and R inputs per second-factor block.</summary>
    private readonly record struct Shape(int K, int S, int R);

    private static unsafe void Run(ref float u, nint ldu, ref float lanes, ref float y, nint ldy, Shape m, int rows, ref float bias, bool stream)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            bool streams = stream && Avx512F.IsSupported && ldy % 16 == 0 && ((nuint)Unsafe.AsPointer(ref y) & 63) == 0;
            Groups<Width512>(ref u, ldu, ref lanes, ref y, ldy, m, rows, ref bias, streams);
            if (streams)
            {
                Sse.StoreFence();
            }
        }
        else
        {
            Groups<Width256>(ref u, ldu, ref lanes, ref y, ldy, m, rows, ref bias, stream: false);
        }
    }

    /// <summary>The register blocks of one vector width, for <see cref="Groups{TWidth}"/>.</summary>
    private interface IWidth
    {
        /// <summary>Floats per vector: blocks per group.</summary>
        static abstract int W { get; }

        /// <summary>Rows b..b+3, outputs s..s+3 of one group.</summary>
        static abstract void FourByFour(ref float u, nint ldu, ref float w, ref float y, nint ldy, Shape m, ref float bias, nint s, bool hasBias, bool stream);

        /// <summary>One row, one output of one group.</summary>
        static abstract void One(ref float u, ref float w, ref float y, Shape m, ref float bias, nint s, bool hasBias, bool stream);
    }

    private readonly struct Width512 : IWidth
    {
        public static int W => 16;

        public static void FourByFour(ref float u, nint ldu, ref float w, ref float y, nint ldy, Shape m, ref float bias, nint s, bool hasBias, bool stream)
            => FourByFour512(ref u, ldu, ref w, ref y, ldy, m, ref bias, s, hasBias, stream);

        public static void One(ref float u, ref float w, ref float y, Shape m, ref float bias, nint s, bool hasBias, bool stream)
            => One512(ref u, ref w, ref y, m, ref bias, s, hasBias, stream);
    }

    private readonly struct Width256 : IWidth
    {
        public static int W => 8;

        public static void FourByFour(ref float u, nint ldu, ref float w, ref float y, nint ldy, Shape m, ref float bias, nint s, bool hasBias, bool stream)
            => FourByFour256(ref u, ldu, ref w, ref y, ldy, m, ref bias, s, hasBias);

        public static void One(ref float u, ref float w, ref float y, Shape m, ref float bias, nint s, bool hasBias, bool stream)
            => One256(ref u, ref w, ref y, m, ref bias, s, hasBias);
    }

    // Groups of W blocks; per group, blocks of 4 rows × 4 outputs, then the output tail one at a time, then the rows past
    // the last 4 one at a time. TWidth is a struct, so each width gets its own compiled loops with direct calls.
    private static void Groups<TWidth>(ref float u, nint ldu, ref float lanes, ref float y, nint ldy, Shape m, int rows, ref float bias, bool stream)
        where TWidth : struct, IWidth
    {
        int W = TWidth.W;
        nint plane = (nint)m.S * m.R;
        bool hasBias = !Unsafe.IsNullRef(ref bias);
        for (nint g = 0; g < m.K / W; g++)
        {
            ref float ug = ref Unsafe.Add(ref u, g * W);
            ref float yg = ref Unsafe.Add(ref y, g * W);
            ref float lg = ref Unsafe.Add(ref lanes, g * W * plane);
            ref float bg = ref hasBias ? ref Unsafe.Add(ref bias, g * W) : ref bias;
            nint b = 0;
            for (; b + 4 <= rows; b += 4)
            {
                nint s = 0;
                for (; s + 4 <= m.S; s += 4)
                {
                    TWidth.FourByFour(ref Unsafe.Add(ref ug, b * ldu), ldu, ref Unsafe.Add(ref lg, s * m.R * W), ref Unsafe.Add(ref yg, b * ldy + s * m.K), ldy, m, ref bg, s, hasBias, stream);
                }
                for (; s < m.S; s++)
                {
                    for (nint row = b; row < b + 4; row++)
                    {
                        TWidth.One(ref Unsafe.Add(ref ug, row * ldu), ref Unsafe.Add(ref lg, s * m.R * W), ref Unsafe.Add(ref yg, row * ldy + s * m.K), m, ref bg, s, hasBias, stream);
                    }
                }
            }
            for (; b < rows; b++)
            {
                for (nint s = 0; s < m.S; s++)
                {
                    TWidth.One(ref Unsafe.Add(ref ug, b * ldu), ref Unsafe.Add(ref lg, s * m.R * W), ref Unsafe.Add(ref yg, b * ldy + s * m.K), m, ref bg, s, hasBias, stream);
                }
            }
        }
    }

    // Vector512. Rows b..b+3, outputs s..s+3 of one group: u rows at stride ldu, lanes [s, r, 16] (outputs R·16 floats apart), y rows
    // at stride ldy (outputs K floats apart).
    private static void FourByFour512(ref float u, nint ldu, ref float w, ref float y, nint ldy, Shape m, ref float bias, nint s, bool hasBias, bool stream)
    {
        nint ws = (nint)m.R * 16, k = m.K;
        Vector512<float> a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        a00 = a01 = a02 = a03 = a10 = a11 = a12 = a13 = a20 = a21 = a22 = a23 = a30 = a31 = a32 = a33 = Vector512<float>.Zero;
        for (nint r = 0; r < m.R; r++)
        {
            ref float ur = ref Unsafe.Add(ref u, r * k);
            var u0 = Vector512.LoadUnsafe(ref ur);
            var u1 = Vector512.LoadUnsafe(ref ur, (nuint)ldu);
            var u2 = Vector512.LoadUnsafe(ref ur, (nuint)(2 * ldu));
            var u3 = Vector512.LoadUnsafe(ref ur, (nuint)(3 * ldu));
            ref float wr = ref Unsafe.Add(ref w, r * 16);
            var w0 = Vector512.LoadUnsafe(ref wr);
            var w1 = Vector512.LoadUnsafe(ref wr, (nuint)ws);
            var w2 = Vector512.LoadUnsafe(ref wr, (nuint)(2 * ws));
            var w3 = Vector512.LoadUnsafe(ref wr, (nuint)(3 * ws));
            a00 = Vector512.MultiplyAddEstimate(u0, w0, a00); a01 = Vector512.MultiplyAddEstimate(u0, w1, a01);
            a02 = Vector512.MultiplyAddEstimate(u0, w2, a02); a03 = Vector512.MultiplyAddEstimate(u0, w3, a03);
            a10 = Vector512.MultiplyAddEstimate(u1, w0, a10); a11 = Vector512.MultiplyAddEstimate(u1, w1, a11);
            a12 = Vector512.MultiplyAddEstimate(u1, w2, a12); a13 = Vector512.MultiplyAddEstimate(u1, w3, a13);
            a20 = Vector512.MultiplyAddEstimate(u2, w0, a20); a21 = Vector512.MultiplyAddEstimate(u2, w1, a21);
            a22 = Vector512.MultiplyAddEstimate(u2, w2, a22); a23 = Vector512.MultiplyAddEstimate(u2, w3, a23);
            a30 = Vector512.MultiplyAddEstimate(u3, w0, a30); a31 = Vector512.MultiplyAddEstimate(u3, w1, a31);
            a32 = Vector512.MultiplyAddEstimate(u3, w2, a32); a33 = Vector512.MultiplyAddEstimate(u3, w3, a33);
        }
        if (hasBias)
        {
            // Added after the sum, as the permutation path adds it to z: both paths give the same bits.
            var b0 = Vector512.LoadUnsafe(ref bias, (nuint)(s * k));
            var b1 = Vector512.LoadUnsafe(ref bias, (nuint)((s + 1) * k));
            var b2 = Vector512.LoadUnsafe(ref bias, (nuint)((s + 2) * k));
            var b3 = Vector512.LoadUnsafe(ref bias, (nuint)((s + 3) * k));
            a00 += b0; a01 += b1; a02 += b2; a03 += b3;
            a10 += b0; a11 += b1; a12 += b2; a13 += b3;
            a20 += b0; a21 += b1; a22 += b2; a23 += b3;
            a30 += b0; a31 += b1; a32 += b2; a33 += b3;
        }
        Store(a00, ref y, 0, stream); Store(a01, ref y, k, stream); Store(a02, ref y, 2 * k, stream); Store(a03, ref y, 3 * k, stream);
        ref float y1 = ref Unsafe.Add(ref y, ldy);
        Store(a10, ref y1, 0, stream); Store(a11, ref y1, k, stream); Store(a12, ref y1, 2 * k, stream); Store(a13, ref y1, 3 * k, stream);
        ref float y2 = ref Unsafe.Add(ref y, 2 * ldy);
        Store(a20, ref y2, 0, stream); Store(a21, ref y2, k, stream); Store(a22, ref y2, 2 * k, stream); Store(a23, ref y2, 3 * k, stream);
        ref float y3 = ref Unsafe.Add(ref y, 3 * ldy);
        Store(a30, ref y3, 0, stream); Store(a31, ref y3, k, stream); Store(a32, ref y3, 2 * k, stream); Store(a33, ref y3, 3 * k, stream);
    }

    /// <summary>One vector of output: a streaming store of its whole line, or an ordinary store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector512<float> value, ref float y, nint offset, bool stream)
    {
        if (stream)
        {
            Avx512F.StoreAlignedNonTemporal((float*)Unsafe.AsPointer(ref Unsafe.Add(ref y, offset)), value);
        }
        else
        {
            value.StoreUnsafe(ref y, (nuint)offset);
        }
    }

    // One row, one output of one group.
    private static void One512(ref float u, ref float w, ref float y, Shape m, ref float bias, nint s, bool hasBias, bool stream)
    {
        Vector512<float> acc = Vector512<float>.Zero;
        for (nint r = 0; r < m.R; r++)
        {
            acc = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref u, (nuint)(r * m.K)), Vector512.LoadUnsafe(ref w, (nuint)(r * 16)), acc);
        }
        if (hasBias)
        {
            acc += Vector512.LoadUnsafe(ref bias, (nuint)(s * m.K));
        }
        Store(acc, ref y, 0, stream);
    }

    // Vector256: the same blocks, 8 blocks to a vector. Its stores stay ordinary: a Vector256 is half a line.
    private static void FourByFour256(ref float u, nint ldu, ref float w, ref float y, nint ldy, Shape m, ref float bias, nint s, bool hasBias)
    {
        nint ws = (nint)m.R * 8, k = m.K;
        Vector256<float> a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        a00 = a01 = a02 = a03 = a10 = a11 = a12 = a13 = a20 = a21 = a22 = a23 = a30 = a31 = a32 = a33 = Vector256<float>.Zero;
        for (nint r = 0; r < m.R; r++)
        {
            ref float ur = ref Unsafe.Add(ref u, r * k);
            var u0 = Vector256.LoadUnsafe(ref ur);
            var u1 = Vector256.LoadUnsafe(ref ur, (nuint)ldu);
            var u2 = Vector256.LoadUnsafe(ref ur, (nuint)(2 * ldu));
            var u3 = Vector256.LoadUnsafe(ref ur, (nuint)(3 * ldu));
            ref float wr = ref Unsafe.Add(ref w, r * 8);
            var w0 = Vector256.LoadUnsafe(ref wr);
            var w1 = Vector256.LoadUnsafe(ref wr, (nuint)ws);
            var w2 = Vector256.LoadUnsafe(ref wr, (nuint)(2 * ws));
            var w3 = Vector256.LoadUnsafe(ref wr, (nuint)(3 * ws));
            a00 = Vector256.MultiplyAddEstimate(u0, w0, a00); a01 = Vector256.MultiplyAddEstimate(u0, w1, a01);
            a02 = Vector256.MultiplyAddEstimate(u0, w2, a02); a03 = Vector256.MultiplyAddEstimate(u0, w3, a03);
            a10 = Vector256.MultiplyAddEstimate(u1, w0, a10); a11 = Vector256.MultiplyAddEstimate(u1, w1, a11);
            a12 = Vector256.MultiplyAddEstimate(u1, w2, a12); a13 = Vector256.MultiplyAddEstimate(u1, w3, a13);
            a20 = Vector256.MultiplyAddEstimate(u2, w0, a20); a21 = Vector256.MultiplyAddEstimate(u2, w1, a21);
            a22 = Vector256.MultiplyAddEstimate(u2, w2, a22); a23 = Vector256.MultiplyAddEstimate(u2, w3, a23);
            a30 = Vector256.MultiplyAddEstimate(u3, w0, a30); a31 = Vector256.MultiplyAddEstimate(u3, w1, a31);
            a32 = Vector256.MultiplyAddEstimate(u3, w2, a32); a33 = Vector256.MultiplyAddEstimate(u3, w3, a33);
        }
        if (hasBias)
        {
            // Added after the sum, as the permutation path adds it to z: both paths give the same bits.
            var b0 = Vector256.LoadUnsafe(ref bias, (nuint)(s * k));
            var b1 = Vector256.LoadUnsafe(ref bias, (nuint)((s + 1) * k));
            var b2 = Vector256.LoadUnsafe(ref bias, (nuint)((s + 2) * k));
            var b3 = Vector256.LoadUnsafe(ref bias, (nuint)((s + 3) * k));
            a00 += b0; a01 += b1; a02 += b2; a03 += b3;
            a10 += b0; a11 += b1; a12 += b2; a13 += b3;
            a20 += b0; a21 += b1; a22 += b2; a23 += b3;
            a30 += b0; a31 += b1; a32 += b2; a33 += b3;
        }
        a00.StoreUnsafe(ref y); a01.StoreUnsafe(ref y, (nuint)k); a02.StoreUnsafe(ref y, (nuint)(2 * k)); a03.StoreUnsafe(ref y, (nuint)(3 * k));
        ref float y1 = ref Unsafe.Add(ref y, ldy);
        a10.StoreUnsafe(ref y1); a11.StoreUnsafe(ref y1, (nuint)k); a12.StoreUnsafe(ref y1, (nuint)(2 * k)); a13.StoreUnsafe(ref y1, (nuint)(3 * k));
        ref float y2 = ref Unsafe.Add(ref y, 2 * ldy);
        a20.StoreUnsafe(ref y2); a21.StoreUnsafe(ref y2, (nuint)k); a22.StoreUnsafe(ref y2, (nuint)(2 * k)); a23.StoreUnsafe(ref y2, (nuint)(3 * k));
        ref float y3 = ref Unsafe.Add(ref y, 3 * ldy);
        a30.StoreUnsafe(ref y3); a31.StoreUnsafe(ref y3, (nuint)k); a32.StoreUnsafe(ref y3, (nuint)(2 * k)); a33.StoreUnsafe(ref y3, (nuint)(3 * k));
    }

    private static void One256(ref float u, ref float w, ref float y, Shape m, ref float bias, nint s, bool hasBias)
    {
        Vector256<float> acc = Vector256<float>.Zero;
        for (nint r = 0; r < m.R; r++)
        {
            acc = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref u, (nuint)(r * m.K)), Vector256.LoadUnsafe(ref w, (nuint)(r * 8)), acc);
        }
        if (hasBias)
        {
            acc += Vector256.LoadUnsafe(ref bias, (nuint)(s * m.K));
        }
        acc.StoreUnsafe(ref y);
    }
}
