using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StructGen.Kernels;

/// <summary>
/// BLAST's coupling step between the right and left factors: for row block <c>i</c>,
/// <c>h_i = Σ_j D[i, j] ∘ z_j</c> (element-wise over the rank), and its backward.
/// The rank is walked in chunks of four Vector256 (32 floats) held in registers across the sum over
/// blocks, so each output is written once; the parameter gradient sums over the tile's rows in
/// registers and touches <c>∂D</c> once per tile. Rank tails take single vectors, then scalars.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BlastCoupling
{
    private const int Lanes = 8;
    private const int Chunk = 4 * Lanes;

    /// <summary><c>h[b, i·R + r] = Σ_j D[i, j, r]·z[b, j·R + r]</c>.</summary>
    public static void Forward(ref float z, ref float d, ref float h, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        for (nint b = 0; b < rows; b++)
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
        // ∂D: for each (i, j), a sum over the tile's rows kept in registers.
        for (nint i = 0; i < rowBlocks; i++)
        {
            for (nint j = 0; j < columnBlocks; j++)
            {
                RowSum(ref Unsafe.Add(ref dh, i * rank), rowBlocks * rank, ref Unsafe.Add(ref z, j * rank), columnBlocks * rank,
                    ref Unsafe.Add(ref dGradient, (i * columnBlocks + j) * rank), rank, rows);
            }
        }

        // dz_j = Σ_i D[i, j] ∘ dh_i: the D rows of block column j are R·B2 apart.
        for (nint b = 0; b < rows; b++)
        {
            ref float dhb = ref Unsafe.Add(ref dh, b * rowBlocks * rank);
            ref float dzb = ref Unsafe.Add(ref dz, b * columnBlocks * rank);
            for (nint j = 0; j < columnBlocks; j++)
            {
                WeightedSum(ref Unsafe.Add(ref d, j * rank), (nint)columnBlocks * rank, ref dhb, rank, rowBlocks, ref Unsafe.Add(ref dzb, j * rank), rank);
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
        for (; r < rank; r++)
        {
            float s = 0f;
            for (nint t = 0; t < terms; t++)
            {
                s += Unsafe.Add(ref weights, t * weightStride + r) * Unsafe.Add(ref values, t * valueStride + r);
            }
            Unsafe.Add(ref target, r) = s;
        }
    }

    /// <summary><c>target[r] += Σ_b left[b·leftStride + r]·right[b·rightStride + r]</c> for <c>b &lt; rows</c>, <c>r &lt; rank</c>.</summary>
    private static void RowSum(ref float left, nint leftStride, ref float right, nint rightStride, ref float target, int rank, int rows)
    {
        nint r = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; r + Chunk <= rank; r += Chunk)
            {
                ref float tr = ref Unsafe.Add(ref target, r);
                Vector256<float> a0 = Vector256.LoadUnsafe(ref tr), a1 = Vector256.LoadUnsafe(ref tr, Lanes);
                Vector256<float> a2 = Vector256.LoadUnsafe(ref tr, 2 * Lanes), a3 = Vector256.LoadUnsafe(ref tr, 3 * Lanes);
                for (nint b = 0; b < rows; b++)
                {
                    ref float lb = ref Unsafe.Add(ref left, b * leftStride + r);
                    ref float rb = ref Unsafe.Add(ref right, b * rightStride + r);
                    a0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref lb), Vector256.LoadUnsafe(ref rb), a0);
                    a1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref lb, Lanes), Vector256.LoadUnsafe(ref rb, Lanes), a1);
                    a2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref lb, 2 * Lanes), Vector256.LoadUnsafe(ref rb, 2 * Lanes), a2);
                    a3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref lb, 3 * Lanes), Vector256.LoadUnsafe(ref rb, 3 * Lanes), a3);
                }
                a0.StoreUnsafe(ref tr);
                a1.StoreUnsafe(ref tr, Lanes);
                a2.StoreUnsafe(ref tr, 2 * Lanes);
                a3.StoreUnsafe(ref tr, 3 * Lanes);
            }
            for (; r + Lanes <= rank; r += Lanes)
            {
                ref float tr = ref Unsafe.Add(ref target, r);
                Vector256<float> a = Vector256.LoadUnsafe(ref tr);
                for (nint b = 0; b < rows; b++)
                {
                    a = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref Unsafe.Add(ref left, b * leftStride + r)), Vector256.LoadUnsafe(ref Unsafe.Add(ref right, b * rightStride + r)), a);
                }
                a.StoreUnsafe(ref tr);
            }
        }
        for (; r < rank; r++)
        {
            float s = Unsafe.Add(ref target, r);
            for (nint b = 0; b < rows; b++)
            {
                s += Unsafe.Add(ref left, b * leftStride + r) * Unsafe.Add(ref right, b * rightStride + r);
            }
            Unsafe.Add(ref target, r) = s;
        }
    }
}
