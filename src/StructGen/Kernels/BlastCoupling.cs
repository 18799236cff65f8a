using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StructGen.Kernels;

/// <summary>
/// BLAST's coupling step between the right and left factors: for row block <c>i</c>,
/// <c>h_i = Σ_j D[i, j] ∘ z_j</c> (element-wise over the rank), and its backward.
/// The forward and the input gradient are, per rank lane, matrix-vector products over the blocks
/// (<c>h[b, :, r] = D[:, :, r]·z[b, :, r]</c>, <c>dz[b, :, r] = D[:, :, r]ᵀ·dh[b, :, r]</c>) and run register blocks of
/// four rows × several output blocks (BlastCoupling.LaneProduct.cs); the rows left over walk the rank in chunks of
/// four Vector256 held in registers across the sum over blocks. The parameter gradient reads the tile eight rows
/// (Vector512) or four rows (Vector256) at a time, front to back (its rows are B·R floats apart, so walking one column
/// of them would touch a new page per load). Rank tails take single vectors or scalars.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class BlastCoupling
{
    private const int Lanes = 8;
    private const int Chunk = 4 * Lanes;

    /// <summary>The forward of one row at a time: <c>h_i = Σ_j D[i, j] ∘ z_j</c> for every row block.</summary>
    private static void ForwardRows(ref float z, ref float d, ref float h, int rowBlocks, int columnBlocks, int rank, nint first, int rows)
    {
        for (nint b = first; b < rows; b++)
        {
            ref float zb = ref Unsafe.Add(ref z, b * columnBlocks * rank);
            ref float hb = ref Unsafe.Add(ref h, b * rowBlocks * rank);
            for (nint i = 0; i < rowBlocks; i++)
            {
                // h_i = Σ_j D[i, j] ∘ z_j: the D rows of block row i are consecutive, stride R.
                WeightedSum(ref Unsafe.Add(ref d, i * columnBlocks * rank), rank, ref zb, rank, columnBlocks, ref Unsafe.Add(ref hb, i * rank), rank);
            }
        }
    }

    /// <summary>
    /// <c>∂D[i, j, r] += Σ_b dh[b, i·R + r]·z[b, j·R + r]</c> and <c>dz[b, j·R + r] = Σ_i D[i, j, r]·dh[b, i·R + r]</c>.
    /// </summary>
    public static void Backward(ref float z, ref float dh, ref float d, ref float dGradient, ref float dz, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        ParameterGradient(ref z, ref dh, ref dGradient, rowBlocks, columnBlocks, rank, rows);
        InputGradient(ref dh, ref d, ref dz, rowBlocks, columnBlocks, rank, rows);
    }

    /// <summary>
    /// <c>∂D[i, j, r] += Σ_b dh[b, i·R + r]·z[b, j·R + r]</c>, four rows at a time: their dh and z rows are read
    /// front to back while <c>∂D</c> (B1·B2·R floats) stays in L2. Summing each (i, j) pair over the rows instead
    /// walks the tile with a stride of B·R floats, a new page per load that no prefetcher follows (BLAST 4096:
    /// 8 KB strides; the whole coupling backward at batch 256 took 2.4–2.8 ms that way, 1.4 ms this way).
    /// </summary>
    private static void ParameterGradient(ref float z, ref float dh, ref float dGradient, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        nint ldh = (nint)rowBlocks * rank, ldz = (nint)columnBlocks * rank;
        nint vectorRank = Vector256.IsHardwareAccelerated ? rank / Lanes * Lanes : 0;
        nint b = 0;
        if (Vector512.IsHardwareAccelerated && rank % Vector512<float>.Count == 0)
        {
            b = EightRowsParameterGradient512(ref z, ref dh, ref dGradient, rowBlocks, columnBlocks, rank, rows);
        }
        for (; b + 4 <= rows && vectorRank > 0; b += 4)
        {
            ref float h0 = ref Unsafe.Add(ref dh, b * ldh);
            ref float z0 = ref Unsafe.Add(ref z, b * ldz);
            for (nint i = 0; i < rowBlocks; i++)
            {
                for (nint r = 0; r < vectorRank; r += Lanes)
                {
                    ref float hi = ref Unsafe.Add(ref h0, i * rank + r);
                    Vector256<float> v0 = Vector256.LoadUnsafe(ref hi), v1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref hi, ldh));
                    Vector256<float> v2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref hi, 2 * ldh)), v3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref hi, 3 * ldh));
                    ref float gi = ref Unsafe.Add(ref dGradient, i * columnBlocks * rank + r);
                    ref float zr = ref Unsafe.Add(ref z0, r);
                    for (nint j = 0; j < columnBlocks; j++)
                    {
                        ref float zj = ref Unsafe.Add(ref zr, j * rank);
                        ref float g = ref Unsafe.Add(ref gi, j * rank);
                        // Two chains of two FMAs: consecutive j overlap.
                        Vector256<float> a = Vector256.MultiplyAddEstimate(v0, Vector256.LoadUnsafe(ref zj), Vector256.LoadUnsafe(ref g));
                        Vector256<float> c = v1 * Vector256.LoadUnsafe(ref Unsafe.Add(ref zj, ldz));
                        a = Vector256.MultiplyAddEstimate(v2, Vector256.LoadUnsafe(ref Unsafe.Add(ref zj, 2 * ldz)), a);
                        c = Vector256.MultiplyAddEstimate(v3, Vector256.LoadUnsafe(ref Unsafe.Add(ref zj, 3 * ldz)), c);
                        (a + c).StoreUnsafe(ref g);
                    }
                }
            }
        }
        for (; b < rows && vectorRank > 0; b++)
        {
            ref float h0 = ref Unsafe.Add(ref dh, b * ldh);
            ref float z0 = ref Unsafe.Add(ref z, b * ldz);
            for (nint i = 0; i < rowBlocks; i++)
            {
                for (nint r = 0; r < vectorRank; r += Lanes)
                {
                    Vector256<float> v = Vector256.LoadUnsafe(ref Unsafe.Add(ref h0, i * rank + r));
                    ref float gi = ref Unsafe.Add(ref dGradient, i * columnBlocks * rank + r);
                    for (nint j = 0; j < columnBlocks; j++)
                    {
                        ref float g = ref Unsafe.Add(ref gi, j * rank);
                        Vector256.MultiplyAddEstimate(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref z0, j * rank + r)), Vector256.LoadUnsafe(ref g)).StoreUnsafe(ref g);
                    }
                }
            }
        }
        // Ranks past the last whole vector (all of them without Vector256).
        for (nint row = 0; row < rows && vectorRank < rank; row++)
        {
            for (nint i = 0; i < rowBlocks; i++)
            {
                for (nint j = 0; j < columnBlocks; j++)
                {
                    for (nint r = vectorRank; r < rank; r++)
                    {
                        Unsafe.Add(ref dGradient, (i * columnBlocks + j) * rank + r) += Unsafe.Add(ref dh, row * ldh + i * rank + r) * Unsafe.Add(ref z, row * ldz + j * rank + r);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="ParameterGradient"/> eight rows at a time with Vector512 (a rank that is a whole number of vectors): eight
    /// rows of <c>dh</c> stay in registers while each <c>∂D</c> vector takes eight FMAs between its load and its store,
    /// where the Vector256 pass of four rows paid a load and a store of <c>∂D</c> per four (8-lane) FMAs. Returns the
    /// first row left. Probe, BLAST 1024 (16 × 16 blocks, r = 32), saved backward at batch 256 (stage timers in a copy of the
    /// generated layer): the coupling backward 0.098–0.104 → 0.073–0.074 ms, the whole backward 0.47–0.50 → 0.45–0.46 ms
    /// (medians, alternating builds); sixteen rows measured the same as eight; BLAST 4096 (r = 128), whose coupling is 3 %
    /// of its FLOPs, level.
    /// </summary>
    private static nint EightRowsParameterGradient512(ref float z, ref float dh, ref float dGradient, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        const int W = 16;
        nint ldh = (nint)rowBlocks * rank, ldz = (nint)columnBlocks * rank;
        nint b = 0;
        for (; b + 8 <= rows; b += 8)
        {
            ref float h0 = ref Unsafe.Add(ref dh, b * ldh);
            ref float z0 = ref Unsafe.Add(ref z, b * ldz);
            for (nint i = 0; i < rowBlocks; i++)
            {
                for (nint r = 0; r < rank; r += W)
                {
                    ref float hi = ref Unsafe.Add(ref h0, i * rank + r);
                    Vector512<float> v0 = Vector512.LoadUnsafe(ref hi), v1 = Vector512.LoadUnsafe(ref hi, (nuint)ldh);
                    Vector512<float> v2 = Vector512.LoadUnsafe(ref hi, (nuint)(2 * ldh)), v3 = Vector512.LoadUnsafe(ref hi, (nuint)(3 * ldh));
                    Vector512<float> v4 = Vector512.LoadUnsafe(ref hi, (nuint)(4 * ldh)), v5 = Vector512.LoadUnsafe(ref hi, (nuint)(5 * ldh));
                    Vector512<float> v6 = Vector512.LoadUnsafe(ref hi, (nuint)(6 * ldh)), v7 = Vector512.LoadUnsafe(ref hi, (nuint)(7 * ldh));
                    ref float gi = ref Unsafe.Add(ref dGradient, i * columnBlocks * rank + r);
                    ref float zr = ref Unsafe.Add(ref z0, r);
                    for (nint j = 0; j < columnBlocks; j++)
                    {
                        ref float zj = ref Unsafe.Add(ref zr, j * rank);
                        ref float g = ref Unsafe.Add(ref gi, j * rank);
                        // Two chains of four FMAs: consecutive j overlap.
                        Vector512<float> a = Vector512.MultiplyAddEstimate(v0, Vector512.LoadUnsafe(ref zj), Vector512.LoadUnsafe(ref g));
                        Vector512<float> c = v1 * Vector512.LoadUnsafe(ref zj, (nuint)ldz);
                        a = Vector512.MultiplyAddEstimate(v2, Vector512.LoadUnsafe(ref zj, (nuint)(2 * ldz)), a);
                        c = Vector512.MultiplyAddEstimate(v3, Vector512.LoadUnsafe(ref zj, (nuint)(3 * ldz)), c);
                        a = Vector512.MultiplyAddEstimate(v4, Vector512.LoadUnsafe(ref zj, (nuint)(4 * ldz)), a);
                        c = Vector512.MultiplyAddEstimate(v5, Vector512.LoadUnsafe(ref zj, (nuint)(5 * ldz)), c);
                        a = Vector512.MultiplyAddEstimate(v6, Vector512.LoadUnsafe(ref zj, (nuint)(6 * ldz)), a);
                        c = Vector512.MultiplyAddEstimate(v7, Vector512.LoadUnsafe(ref zj, (nuint)(7 * ldz)), c);
                        (a + c).StoreUnsafe(ref g);
                    }
                }
            }
        }
        return b;
    }

    /// <summary>
    /// <c>dz[b, j·R + r] = Σ_i D[i, j, r]·dh[b, i·R + r]</c>: the forward's per-lane product over D read the other way
    /// (outputs j, terms i), in the same register blocks of four rows; the rows left over take one weighted sum per
    /// block column.
    /// </summary>
    private static void InputGradient(ref float dh, ref float d, ref float dz, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        nint ldh = (nint)rowBlocks * rank, ldz = (nint)columnBlocks * rank, ldd = (nint)columnBlocks * rank;
        var m = new LaneProduct(OutputStride: rank, TermStride: ldd, Outputs: columnBlocks, Terms: rowBlocks, Rank: rank);
        nint row = FourRowBlocks(ref dh, ldh, ref d, ref dz, ldz, m, rows);
        // The last rows one at a time (every row without Vector256 or with a rank below one vector).
        for (; row < rows; row++)
        {
            for (nint j = 0; j < columnBlocks; j++)
            {
                WeightedSum(ref Unsafe.Add(ref d, j * rank), ldd, ref Unsafe.Add(ref dh, row * ldh), rank, rowBlocks, ref Unsafe.Add(ref dz, row * ldz + j * rank), rank);
            }
        }
    }

    /// <summary><c>target[r] = Σ_t weights[t·weightStride + r]·values[t·valueStride + r]</c> for <c>t &lt; terms</c>, <c>r &lt; rank</c>.</summary>
    private static void WeightedSum(ref float weights, nint weightStride, ref float values, nint valueStride, int terms, ref float target, int rank)
    {
        nint r = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; r + Chunk <= rank; r += Chunk)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (nint t = 0; t < terms; t++)
                {
                    ref float wt = ref Unsafe.Add(ref weights, t * weightStride + r);
                    ref float vt = ref Unsafe.Add(ref values, t * valueStride + r);
                    a0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref wt), Vector256.LoadUnsafe(ref vt), a0);
                    a1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref wt, Lanes), Vector256.LoadUnsafe(ref vt, Lanes), a1);
                    a2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref wt, 2 * Lanes), Vector256.LoadUnsafe(ref vt, 2 * Lanes), a2);
                    a3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref wt, 3 * Lanes), Vector256.LoadUnsafe(ref vt, 3 * Lanes), a3);
                }
                ref float tr = ref Unsafe.Add(ref target, r);
                a0.StoreUnsafe(ref tr);
                a1.StoreUnsafe(ref tr, Lanes);
                a2.StoreUnsafe(ref tr, 2 * Lanes);
                a3.StoreUnsafe(ref tr, 3 * Lanes);
            }
            for (; r + Lanes <= rank; r += Lanes)
            {
                Vector256<float> a = Vector256<float>.Zero;
                for (nint t = 0; t < terms; t++)
                {
                    a = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref Unsafe.Add(ref weights, t * weightStride + r)), Vector256.LoadUnsafe(ref Unsafe.Add(ref values, t * valueStride + r)), a);
                }
                a.StoreUnsafe(ref Unsafe.Add(ref target, r));
            }
        }
        ScalarWeightedSum(ref weights, weightStride, ref values, valueStride, terms, ref target, r, rank);
    }

    /// <summary><see cref="WeightedSum"/> for ranks <paramref name="from"/> … <paramref name="rank"/> - 1, one scalar sum each: the tails past the last whole vector.</summary>
    private static void ScalarWeightedSum(ref float weights, nint weightStride, ref float values, nint valueStride, int terms, ref float target, nint from, int rank)
    {
        for (nint r = from; r < rank; r++)
        {
            float s = 0f;
            for (nint t = 0; t < terms; t++)
            {
                s += Unsafe.Add(ref weights, t * weightStride + r) * Unsafe.Add(ref values, t * valueStride + r);
            }
            Unsafe.Add(ref target, r) = s;
        }
    }
}
