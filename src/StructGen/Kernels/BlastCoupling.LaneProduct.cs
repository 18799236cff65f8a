using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StructGen.Kernels;

public static partial class BlastCoupling
{
    /// <summary>
    /// <c>h[b, i·R + r] = Σ_j D[i, j, r]·z[b, j·R + r]</c>. Per rank lane this is <c>D[:, :, r]</c> times
    /// <c>z[b, :, r]</c>: each <c>z</c> element serves every row block and each <c>D</c> element every row, so four rows
    /// × four row blocks of accumulators (Vector512; four × two with Vector256) take 8 loads per 16 FMAs where one
    /// weighted sum per row and row block took 2 per FMA. Probe, alternating builds, batch 256: the coupling forward of
    /// BLAST 4096 (16 × 16 blocks, r = 128) 0.52–0.62 → 0.35 ms; BLAST 1024's whole forward 0.51–0.56 → 0.44 ms. Rows
    /// past the last four, row blocks past the last block of accumulators and rank tails take the one-row sums.
    /// </summary>
    public static void Forward(ref float z, ref float d, ref float h, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        nint ldz = (nint)columnBlocks * rank, ldh = (nint)rowBlocks * rank;
        var m = new LaneProduct(OutputStride: ldz, TermStride: rank, Outputs: rowBlocks, Terms: columnBlocks, Rank: rank);
        nint row = FourRowBlocks(ref z, ldz, ref d, ref h, ldh, m, rows);
        ForwardRows(ref z, ref d, ref h, rowBlocks, columnBlocks, rank, row, rows);
    }

    /// <summary>
    /// The shape of a per-lane matrix–vector product <c>y[b, o·R + r] = Σ_t W[o, t, r]·x[b, t·R + r]</c> with
    /// <c>W[o, t, r]</c> at <c>o·OutputStride + t·TermStride + r</c> in D: the forward (o = i, t = j) and the input
    /// gradient (o = j, t = i) of the coupling are the same product over D read in two orders.
    /// </summary>
    private readonly record struct LaneProduct(nint OutputStride, nint TermStride, int Outputs, int Terms, int Rank);

    /// <summary>Runs the register blocks over the rows four at a time and returns the first row left (for the one-row sums).</summary>
    private static nint FourRowBlocks(ref float x, nint ldx, ref float d, ref float y, nint ldy, LaneProduct m, int rows)
    {
        nint row = 0;
        if (Vector512.IsHardwareAccelerated && m.Rank >= Vector512<float>.Count)
        {
            for (; row + 4 <= rows; row += 4)
            {
                FourRows512(ref Unsafe.Add(ref x, row * ldx), ldx, ref d, ref Unsafe.Add(ref y, row * ldy), ldy, m);
            }
        }
        else if (Vector256.IsHardwareAccelerated && m.Rank >= Lanes)
        {
            for (; row + 4 <= rows; row += 4)
            {
                FourRows256(ref Unsafe.Add(ref x, row * ldx), ldx, ref d, ref Unsafe.Add(ref y, row * ldy), ldy, m);
            }
        }
        return row;
    }

    /// <summary>Four rows, row blocks four at a time, one Vector512 of the rank per block of 16 accumulators.</summary>
    private static void FourRows512(ref float z, nint ldz, ref float d, ref float h, nint ldh, LaneProduct m)
    {
        const int L = 16;
        int rank = m.Rank;
        nint ldd = m.OutputStride, vectorRank = rank / L * L;
        nint i = 0;
        for (; i + 4 <= m.Outputs; i += 4)
        {
            ref float d0 = ref Unsafe.Add(ref d, i * ldd);
            for (nint r = 0; r < vectorRank; r += L)
            {
                Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
                Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
                Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
                Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
                for (nint j = 0; j < m.Terms; j++)
                {
                    nint at = j * rank + r, wat = j * m.TermStride + r;
                    Vector512<float> w0 = Vector512.LoadUnsafe(ref d0, (nuint)wat);
                    Vector512<float> w1 = Vector512.LoadUnsafe(ref d0, (nuint)(ldd + wat));
                    Vector512<float> w2 = Vector512.LoadUnsafe(ref d0, (nuint)(2 * ldd + wat));
                    Vector512<float> w3 = Vector512.LoadUnsafe(ref d0, (nuint)(3 * ldd + wat));
                    Vector512<float> v = Vector512.LoadUnsafe(ref z, (nuint)at);
                    a00 = Vector512.MultiplyAddEstimate(w0, v, a00); a01 = Vector512.MultiplyAddEstimate(w1, v, a01);
                    a02 = Vector512.MultiplyAddEstimate(w2, v, a02); a03 = Vector512.MultiplyAddEstimate(w3, v, a03);
                    v = Vector512.LoadUnsafe(ref z, (nuint)(ldz + at));
                    a10 = Vector512.MultiplyAddEstimate(w0, v, a10); a11 = Vector512.MultiplyAddEstimate(w1, v, a11);
                    a12 = Vector512.MultiplyAddEstimate(w2, v, a12); a13 = Vector512.MultiplyAddEstimate(w3, v, a13);
                    v = Vector512.LoadUnsafe(ref z, (nuint)(2 * ldz + at));
                    a20 = Vector512.MultiplyAddEstimate(w0, v, a20); a21 = Vector512.MultiplyAddEstimate(w1, v, a21);
                    a22 = Vector512.MultiplyAddEstimate(w2, v, a22); a23 = Vector512.MultiplyAddEstimate(w3, v, a23);
                    v = Vector512.LoadUnsafe(ref z, (nuint)(3 * ldz + at));
                    a30 = Vector512.MultiplyAddEstimate(w0, v, a30); a31 = Vector512.MultiplyAddEstimate(w1, v, a31);
                    a32 = Vector512.MultiplyAddEstimate(w2, v, a32); a33 = Vector512.MultiplyAddEstimate(w3, v, a33);
                }
                ref float h0 = ref Unsafe.Add(ref h, i * rank + r);
                a00.StoreUnsafe(ref h0); a01.StoreUnsafe(ref h0, (nuint)rank); a02.StoreUnsafe(ref h0, (nuint)(2 * rank)); a03.StoreUnsafe(ref h0, (nuint)(3 * rank));
                ref float h1 = ref Unsafe.Add(ref h0, ldh);
                a10.StoreUnsafe(ref h1); a11.StoreUnsafe(ref h1, (nuint)rank); a12.StoreUnsafe(ref h1, (nuint)(2 * rank)); a13.StoreUnsafe(ref h1, (nuint)(3 * rank));
                ref float h2 = ref Unsafe.Add(ref h0, 2 * ldh);
                a20.StoreUnsafe(ref h2); a21.StoreUnsafe(ref h2, (nuint)rank); a22.StoreUnsafe(ref h2, (nuint)(2 * rank)); a23.StoreUnsafe(ref h2, (nuint)(3 * rank));
                ref float h3 = ref Unsafe.Add(ref h0, 3 * ldh);
                a30.StoreUnsafe(ref h3); a31.StoreUnsafe(ref h3, (nuint)rank); a32.StoreUnsafe(ref h3, (nuint)(2 * rank)); a33.StoreUnsafe(ref h3, (nuint)(3 * rank));
            }
            RankTail(ref z, ldz, ref d0, ref Unsafe.Add(ref h, i * rank), ldh, 4, m, vectorRank);
        }
        LeftoverRowBlocks(ref z, ldz, ref d, ref h, ldh, i, m);
    }

    /// <summary>Four rows, row blocks two at a time, one Vector256 of the rank per block of 8 accumulators (16 AVX registers).</summary>
    private static void FourRows256(ref float z, nint ldz, ref float d, ref float h, nint ldh, LaneProduct m)
    {
        int rank = m.Rank;
        nint ldd = m.OutputStride, vectorRank = rank / Lanes * Lanes;
        nint i = 0;
        for (; i + 2 <= m.Outputs; i += 2)
        {
            ref float d0 = ref Unsafe.Add(ref d, i * ldd);
            for (nint r = 0; r < vectorRank; r += Lanes)
            {
                Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default;
                Vector256<float> a20 = default, a21 = default, a30 = default, a31 = default;
                for (nint j = 0; j < m.Terms; j++)
                {
                    nint at = j * rank + r, wat = j * m.TermStride + r;
                    Vector256<float> w0 = Vector256.LoadUnsafe(ref d0, (nuint)wat);
                    Vector256<float> w1 = Vector256.LoadUnsafe(ref d0, (nuint)(ldd + wat));
                    Vector256<float> v = Vector256.LoadUnsafe(ref z, (nuint)at);
                    a00 = Vector256.MultiplyAddEstimate(w0, v, a00); a01 = Vector256.MultiplyAddEstimate(w1, v, a01);
                    v = Vector256.LoadUnsafe(ref z, (nuint)(ldz + at));
                    a10 = Vector256.MultiplyAddEstimate(w0, v, a10); a11 = Vector256.MultiplyAddEstimate(w1, v, a11);
                    v = Vector256.LoadUnsafe(ref z, (nuint)(2 * ldz + at));
                    a20 = Vector256.MultiplyAddEstimate(w0, v, a20); a21 = Vector256.MultiplyAddEstimate(w1, v, a21);
                    v = Vector256.LoadUnsafe(ref z, (nuint)(3 * ldz + at));
                    a30 = Vector256.MultiplyAddEstimate(w0, v, a30); a31 = Vector256.MultiplyAddEstimate(w1, v, a31);
                }
                ref float h0 = ref Unsafe.Add(ref h, i * rank + r);
                a00.StoreUnsafe(ref h0); a01.StoreUnsafe(ref h0, (nuint)rank);
                a10.StoreUnsafe(ref h0, (nuint)ldh); a11.StoreUnsafe(ref h0, (nuint)(ldh + rank));
                a20.StoreUnsafe(ref h0, (nuint)(2 * ldh)); a21.StoreUnsafe(ref h0, (nuint)(2 * ldh + rank));
                a30.StoreUnsafe(ref h0, (nuint)(3 * ldh)); a31.StoreUnsafe(ref h0, (nuint)(3 * ldh + rank));
            }
            RankTail(ref z, ldz, ref d0, ref Unsafe.Add(ref h, i * rank), ldh, 2, m, vectorRank);
        }
        LeftoverRowBlocks(ref z, ldz, ref d, ref h, ldh, i, m);
    }

    /// <summary>The ranks past the last whole vector for <paramref name="blocks"/> row blocks of four rows (D and h start at the first block).</summary>
    private static void RankTail(ref float z, nint ldz, ref float d, ref float h, nint ldh, int blocks, LaneProduct m, nint vectorRank)
    {
        if (vectorRank == m.Rank)
        {
            return;
        }
        for (nint k = 0; k < 4; k++)
        {
            for (nint t = 0; t < blocks; t++)
            {
                ScalarWeightedSum(ref Unsafe.Add(ref d, t * m.OutputStride), m.TermStride, ref Unsafe.Add(ref z, k * ldz), m.Rank, m.Terms, ref Unsafe.Add(ref h, k * ldh + t * m.Rank), vectorRank, m.Rank);
            }
        }
    }

    /// <summary>Row blocks <paramref name="first"/> … of four rows that no block of accumulators covered: one weighted sum each.</summary>
    private static void LeftoverRowBlocks(ref float z, nint ldz, ref float d, ref float h, nint ldh, nint first, LaneProduct m)
    {
        for (nint i = first; i < m.Outputs; i++)
        {
            for (nint k = 0; k < 4; k++)
            {
                WeightedSum(ref Unsafe.Add(ref d, i * m.OutputStride), m.TermStride, ref Unsafe.Add(ref z, k * ldz), m.Rank, m.Terms, ref Unsafe.Add(ref h, k * ldh + i * m.Rank), m.Rank);
            }
        }
    }
}
