using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StructGen.Kernels;

/// <summary>
/// Transposes a strided matrix block: the Monarch permutations, the packing of <c>wᵀ</c> before a
/// forward product, and the other layout changes the generated kernels make between products.
/// With AVX it moves 8×8 sub-blocks through registers (eight loads, 24 shuffles, eight stores: about
/// 8× fewer instructions than element by element); edges that are not whole 8×8 blocks, and CPUs
/// without AVX, take the scalar loop. Arguments are trusted: the generated entry points validate the
/// buffers first.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BlockTranspose
{
    /// <summary>
    /// <c>destination[j·destinationStride + i] = source[i·sourceStride + j]</c> for <c>i &lt; rows</c>,
    /// <c>j &lt; columns</c>: a <c>[rows, columns]</c> block becomes <c>[columns, rows]</c>.
    /// </summary>
    public static void Transpose(ref float source, nint sourceStride, ref float destination, nint destinationStride, int rows, int columns)
    {
        nint i = 0;
        if (Avx.IsSupported)
        {
            for (; i + 8 <= rows; i += 8)
            {
                nint j = 0;
                for (; j + 8 <= columns; j += 8)
                {
                    Transpose8x8(ref Unsafe.Add(ref source, i * sourceStride + j), sourceStride, ref Unsafe.Add(ref destination, j * destinationStride + i), destinationStride);
                }
                for (; j < columns; j++)
                {
                    for (nint r = 0; r < 8; r++)
                    {
                        Unsafe.Add(ref destination, j * destinationStride + i + r) = Unsafe.Add(ref source, (i + r) * sourceStride + j);
                    }
                }
            }
        }
        for (; i < rows; i++)
        {
            ref float row = ref Unsafe.Add(ref source, i * sourceStride);
            for (nint j = 0; j < columns; j++)
            {
                Unsafe.Add(ref destination, j * destinationStride + i) = Unsafe.Add(ref row, j);
            }
        }
    }

    /// <summary>
    /// Per row of a batch, reads <c>[a, c]</c> and writes its transpose <c>[c, a]</c> (the Monarch
    /// permutation <c>destination[j·a + i] = source[i·c + j]</c>), for <paramref name="rows"/> rows of the given strides.
    /// </summary>
    public static void TransposeRows(ref float source, nint sourceStride, ref float destination, nint destinationStride, int a, int c, int rows)
    {
        for (nint b = 0; b < rows; b++)
        {
            Transpose(ref Unsafe.Add(ref source, b * sourceStride), c, ref Unsafe.Add(ref destination, b * destinationStride), a, a, c);
        }
    }

    /// <summary>
    /// <see cref="Transpose"/> for a block the caches should not keep: the destination is written with non-temporal
    /// stores, whole 64-byte lines at a time, so a large output goes to memory without first being read into the caches
    /// (the read-for-ownership an ordinary store costs) and without evicting what the next tile reads. Requires
    /// <see cref="CanStream"/>; the caller issues <see cref="EndStreaming"/> before anything else reads the destination.
    /// </summary>
    public static void TransposeStreaming(ref float source, nint sourceStride, ref float destination, nint destinationStride, int rows, int columns)
        => TransposeStreaming(ref source, sourceStride, ref destination, destinationStride, rows, columns, ref destination, addBias: false);

    /// <summary>
    /// <see cref="TransposeStreaming(ref float, nint, ref float, nint, int, int)"/> that adds <paramref name="bias"/> on the
    /// way out: <c>destination[j·destinationStride + i] = source[i·sourceStride + j] + bias[j·destinationStride + i]</c>
    /// (the bias laid out like the destination), so a biased layer writes its output once.
    /// </summary>
    public static void TransposeStreaming(ref float source, nint sourceStride, ref float destination, nint destinationStride, int rows, int columns, ref float bias)
        => TransposeStreaming(ref source, sourceStride, ref destination, destinationStride, rows, columns, ref bias, addBias: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeStreaming(ref float source, nint sourceStride, ref float destination, nint destinationStride, int rows, int columns, ref float bias, bool addBias)
    {
        for (nint i = 0; i < rows; i += 16)
        {
            for (nint j = 0; j < columns; j += 8)
            {
                // Source rows i..i+7 and i+8..i+15 of columns j..j+7: destination row j+r gets one whole line, two halves.
                Transpose8x8(ref Unsafe.Add(ref source, i * sourceStride + j), sourceStride,
                    out Vector256<float> a0, out Vector256<float> a1, out Vector256<float> a2, out Vector256<float> a3,
                    out Vector256<float> a4, out Vector256<float> a5, out Vector256<float> a6, out Vector256<float> a7);
                Transpose8x8(ref Unsafe.Add(ref source, (i + 8) * sourceStride + j), sourceStride,
                    out Vector256<float> b0, out Vector256<float> b1, out Vector256<float> b2, out Vector256<float> b3,
                    out Vector256<float> b4, out Vector256<float> b5, out Vector256<float> b6, out Vector256<float> b7);
                nint at = j * destinationStride + i;
                ref float line = ref Unsafe.Add(ref destination, at);
                ref float lineBias = ref Unsafe.Add(ref bias, at);
                StreamLine(ref line, a0, b0, ref lineBias, addBias);
                StreamLine(ref Unsafe.Add(ref line, destinationStride), a1, b1, ref Unsafe.Add(ref lineBias, destinationStride), addBias);
                StreamLine(ref Unsafe.Add(ref line, 2 * destinationStride), a2, b2, ref Unsafe.Add(ref lineBias, 2 * destinationStride), addBias);
                StreamLine(ref Unsafe.Add(ref line, 3 * destinationStride), a3, b3, ref Unsafe.Add(ref lineBias, 3 * destinationStride), addBias);
                StreamLine(ref Unsafe.Add(ref line, 4 * destinationStride), a4, b4, ref Unsafe.Add(ref lineBias, 4 * destinationStride), addBias);
                StreamLine(ref Unsafe.Add(ref line, 5 * destinationStride), a5, b5, ref Unsafe.Add(ref lineBias, 5 * destinationStride), addBias);
                StreamLine(ref Unsafe.Add(ref line, 6 * destinationStride), a6, b6, ref Unsafe.Add(ref lineBias, 6 * destinationStride), addBias);
                StreamLine(ref Unsafe.Add(ref line, 7 * destinationStride), a7, b7, ref Unsafe.Add(ref lineBias, 7 * destinationStride), addBias);
            }
        }
    }

    /// <summary>
    /// Whether <see cref="TransposeStreaming(ref float, nint, ref float, nint, int, int)"/> can write this block: AVX, whole 16 × 8 source sub-blocks, and every
    /// destination line it writes on a 64-byte boundary (the destination's start, and its stride a multiple of 16 floats).
    /// </summary>
    public static unsafe bool CanStream(ref float destination, nint destinationStride, int rows, int columns)
        => Avx.IsSupported && rows % 16 == 0 && columns % 8 == 0 && destinationStride % 16 == 0
            && ((nuint)Unsafe.AsPointer(ref destination) & 63) == 0;

    /// <summary>Orders the streaming stores before any later store (<c>sfence</c>): call once after the last <see cref="TransposeStreaming(ref float, nint, ref float, nint, int, int)"/>.</summary>
    public static void EndStreaming()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StreamLine(ref float line, Vector256<float> low, Vector256<float> high, ref float bias, bool addBias)
    {
        if (addBias)
        {
            low += Vector256.LoadUnsafe(ref bias);
            high += Vector256.LoadUnsafe(ref Unsafe.Add(ref bias, 8));
        }
        float* address = (float*)Unsafe.AsPointer(ref line);
        Avx.StoreAlignedNonTemporal(address, low);
        Avx.StoreAlignedNonTemporal(address + 8, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, nint sourceStride, ref float destination, nint destinationStride)
    {
        Transpose8x8(ref source, sourceStride,
            out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
            out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7);
        c0.StoreUnsafe(ref destination);
        c1.StoreUnsafe(ref Unsafe.Add(ref destination, destinationStride));
        c2.StoreUnsafe(ref Unsafe.Add(ref destination, 2 * destinationStride));
        c3.StoreUnsafe(ref Unsafe.Add(ref destination, 3 * destinationStride));
        c4.StoreUnsafe(ref Unsafe.Add(ref destination, 4 * destinationStride));
        c5.StoreUnsafe(ref Unsafe.Add(ref destination, 5 * destinationStride));
        c6.StoreUnsafe(ref Unsafe.Add(ref destination, 6 * destinationStride));
        c7.StoreUnsafe(ref Unsafe.Add(ref destination, 7 * destinationStride));
    }

    /// <summary>Loads an 8 × 8 block and returns its columns: <c>cj[r] = source[r·sourceStride + j]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, nint sourceStride,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source);
        Vector256<float> r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, sourceStride));
        Vector256<float> r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * sourceStride));
        Vector256<float> r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * sourceStride));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 4 * sourceStride));
        Vector256<float> r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 5 * sourceStride));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 6 * sourceStride));
        Vector256<float> r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 7 * sourceStride));

        // Interleave pairs of rows: t0 = (r0₀ r1₀ r0₁ r1₁ | r0₄ r1₄ r0₅ r1₅), …
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        // Gather four rows per column within each 128-bit lane.
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join the lanes: column j of the block is output row j.
        c0 = Avx.Permute2x128(s0, s4, 0x20);
        c1 = Avx.Permute2x128(s1, s5, 0x20);
        c2 = Avx.Permute2x128(s2, s6, 0x20);
        c3 = Avx.Permute2x128(s3, s7, 0x20);
        c4 = Avx.Permute2x128(s0, s4, 0x31);
        c5 = Avx.Permute2x128(s1, s5, 0x31);
        c6 = Avx.Permute2x128(s2, s6, 0x31);
        c7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
