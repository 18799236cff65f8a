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

    /// <summary>Four rows, output blocks four at a time, one Vector512 of the rank per block of 16 accumulators.</summary>
    private static void FourRows512(ref float x, nint ldx, ref float d, ref float y, nint ldy, LaneProduct m)
    {
        const int L = 16;
        int rank = m.Rank;
        nint lo = m.OutputStride, vectorRank = rank / L * L;
        nint o = 0;
        for (; o + 4 <= m.Outputs; o += 4)
        {
            ref float d0 = ref Unsafe.Add(ref d, o * lo);
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
                    Vector512<float> w1 = Vector512.LoadUnsafe(ref d0, (nuint)(lo + wat));
                    Vector512<float> w2 = Vector512.LoadUnsafe(ref d0, (nuint)(2 * lo + wat));
                    Vector512<float> w3 = Vector512.LoadUnsafe(ref d0, (nuint)(3 * lo + wat));
                    Vector512<float> v = Vector512.LoadUnsafe(ref x, (nuint)at);
                    a00 = Vector512.MultiplyAddEstimate(w0, v, a00); a01 = Vector512.MultiplyAddEstimate(w1, v, a01);
                    a02 = Vector512.MultiplyAddEstimate(w2, v, a02); a03 = Vector512.MultiplyAddEstimate(w3, v, a03);
                    v = Vector512.LoadUnsafe(ref x, (nuint)(ldx + at));
                    a10 = Vector512.MultiplyAddEstimate(w0, v, a10); a11 = Vector512.MultiplyAddEstimate(w1, v, a11);
                    a12 = Vector512.MultiplyAddEstimate(w2, v, a12); a13 = Vector512.MultiplyAddEstimate(w3, v, a13);
                    v = Vector512.LoadUnsafe(ref x, (nuint)(2 * ldx + at));
                    a20 = Vector512.MultiplyAddEstimate(w0, v, a20); a21 = Vector512.MultiplyAddEstimate(w1, v, a21);
                    a22 = Vector512.MultiplyAddEstimate(w2, v, a22); a23 = Vector512.MultiplyAddEstimate(w3, v, a23);
                    v = Vector512.LoadUnsafe(ref x, (nuint)(3 * ldx + at));
                    a30 = Vector512.MultiplyAddEstimate(w0, v, a30); a31 = Vector512.MultiplyAddEstimate(w1, v, a31);
                    a32 = Vector512.MultiplyAddEstimate(w2, v, a32); a33 = Vector512.MultiplyAddEstimate(w3, v, a33);
                }
                ref float y0 = ref Unsafe.Add(ref y, o * rank + r);
                a00.StoreUnsafe(ref y0); a01.StoreUnsafe(ref y0, (nuint)rank); a02.StoreUnsafe(ref y0, (nuint)(2 * rank)); a03.StoreUnsafe(ref y0, (nuint)(3 * rank));
                ref float y1 = ref Unsafe.Add(ref y0, ldy);
                a10.StoreUnsafe(ref y1); a11.StoreUnsafe(ref y1, (nuint)rank); a12.StoreUnsafe(ref y1, (nuint)(2 * rank)); a13.StoreUnsafe(ref y1, (nuint)(3 * rank));
                ref float y2 = ref Unsafe.Add(ref y0, 2 * ldy);
                a20.StoreUnsafe(ref y2); a21.StoreUnsafe(ref y2, (nuint)rank); a22.StoreUnsafe(ref y2, (nuint)(2 * rank)); a23.StoreUnsafe(ref y2, (nuint)(3 * rank));
                ref float y3 = ref Unsafe.Add(ref y0, 3 * ldy);
                a30.StoreUnsafe(ref y3); a31.StoreUnsafe(ref y3, (nuint)rank); a32.StoreUnsafe(ref y3, (nuint)(2 * rank)); a33.StoreUnsafe(ref y3, (nuint)(3 * rank));
            }
            RankTail(ref x, ldx, ref d0, ref Unsafe.Add(ref y, o * rank), ldy, 4, m, vectorRank);
        }
        LeftoverOutputs(ref x, ldx, ref d, ref y, ldy, o, m);
    }

    /// <summary>Four rows, output blocks two at a time, one Vector256 of the rank per block of 8 accumulators (16 AVX registers).</summary>
    private static void FourRows256(ref float x, nint ldx, ref float d, ref float y, nint ldy, LaneProduct m)
    {
        int rank = m.Rank;
        nint lo = m.OutputStride, vectorRank = rank / Lanes * Lanes;
        nint o = 0;
        for (; o + 2 <= m.Outputs; o += 2)
        {
            ref float d0 = ref Unsafe.Add(ref d, o * lo);
            for (nint r = 0; r < vectorRank; r += Lanes)
            {
                Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default;
                Vector256<float> a20 = default, a21 = default, a30 = default, a31 = default;
                for (nint j = 0; j < m.Terms; j++)
                {
                    nint at = j * rank + r, wat = j * m.TermStride + r;
                    Vector256<float> w0 = Vector256.LoadUnsafe(ref d0, (nuint)wat);
                    Vector256<float> w1 = Vector256.LoadUnsafe(ref d0, (nuint)(lo + wat));
                    Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)at);
                    a00 = Vector256.MultiplyAddEstimate(w0, v, a00); a01 = Vector256.MultiplyAddEstimate(w1, v, a01);
                    v = Vector256.LoadUnsafe(ref x, (nuint)(ldx + at));
                    a10 = Vector256.MultiplyAddEstimate(w0, v, a10); a11 = Vector256.MultiplyAddEstimate(w1, v, a11);
                    v = Vector256.LoadUnsafe(ref x, (nuint)(2 * ldx + at));
                    a20 = Vector256.MultiplyAddEstimate(w0, v, a20); a21 = Vector256.MultiplyAddEstimate(w1, v, a21);
                    v = Vector256.LoadUnsafe(ref x, (nuint)(3 * ldx + at));
                    a30 = Vector256.MultiplyAddEstimate(w0, v, a30); a31 = Vector256.MultiplyAddEstimate(w1, v, a31);
                }
                ref float y0 = ref Unsafe.Add(ref y, o * rank + r);
                a00.StoreUnsafe(ref y0); a01.StoreUnsafe(ref y0, (nuint)rank);
                a10.StoreUnsafe(ref y0, (nuint)ldy); a11.StoreUnsafe(ref y0, (nuint)(ldy + rank));
                a20.StoreUnsafe(ref y0, (nuint)(2 * ldy)); a21.StoreUnsafe(ref y0, (nuint)(2 * ldy + rank));
                a30.StoreUnsafe(ref y0, (nuint)(3 * ldy)); a31.StoreUnsafe(ref y0, (nuint)(3 * ldy + rank));
            }
            RankTail(ref x, ldx, ref d0, ref Unsafe.Add(ref y, o * rank), ldy, 2, m, vectorRank);
        }
        LeftoverOutputs(ref x, ldx, ref d, ref y, ldy, o, m);
    }

    /// <summary>The ranks past the last whole vector for <paramref name="blocks"/> output blocks of four rows (D and y start at the first block).</summary>
    private static void RankTail(ref float x, nint ldx, ref float d, ref float y, nint ldy, int blocks, LaneProduct m, nint vectorRank)
    {
        if (vectorRank == m.Rank)
        {
            return;
        }
        for (nint k = 0; k < 4; k++)
        {
            for (nint t = 0; t < blocks; t++)
            {
                ScalarWeightedSum(ref Unsafe.Add(ref d, t * m.OutputStride), m.TermStride, ref Unsafe.Add(ref x, k * ldx), m.Rank, m.Terms, ref Unsafe.Add(ref y, k * ldy + t * m.Rank), vectorRank, m.Rank);
            }
        }
    }

    /// <summary>Output blocks <paramref name="first"/> … of four rows that no block of accumulators covered: one weighted sum each.</summary>
    private static void LeftoverOutputs(ref float x, nint ldx, ref float d, ref float y, nint ldy, nint first, LaneProduct m)
    {
        for (nint o = first; o < m.Outputs; o++)
        {
            for (nint k = 0; k < 4; k++)
            {
                WeightedSum(ref Unsafe.Add(ref d, o * m.OutputStride), m.TermStride, ref Unsafe.Add(ref x, k * ldx), m.Rank, m.Terms, ref Unsafe.Add(ref y, k * ldy + o * m.Rank), m.Rank);
            }
        }
    }
}
