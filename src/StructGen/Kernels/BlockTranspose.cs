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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, nint sourceStride, ref float destination, nint destinationStride)
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
        Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, destinationStride));
        Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, 2 * destinationStride));
        Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, 3 * destinationStride));
        Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 4 * destinationStride));
        Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 5 * destinationStride));
        Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 6 * destinationStride));
        Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 7 * destinationStride));
    }
}
