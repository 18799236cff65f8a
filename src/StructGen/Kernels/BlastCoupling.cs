using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace StructGen.Kernels;

/// <summary>
/// BLAST's coupling step between the right and left factors: for row block <c>i</c>,
/// <c>h_i = Σ_j D[i, j] ∘ z_j</c> (element-wise over the rank), and its backward.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BlastCoupling
{
    /// <summary><c>h[b, i·R + r] = Σ_j D[i, j, r]·z[b, j·R + r]</c>.</summary>
    public static void Forward(ref float z, ref float d, ref float h, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        for (nint b = 0; b < rows; b++)
        {
            ref float zb = ref Unsafe.Add(ref z, b * columnBlocks * rank);
            ref float hb = ref Unsafe.Add(ref h, b * rowBlocks * rank);
            for (nint i = 0; i < rowBlocks; i++)
            {
                Span<float> hi = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref hb, i * rank), rank);
                hi.Clear();
                for (nint j = 0; j < columnBlocks; j++)
                {
                    TensorPrimitives.FusedMultiplyAdd(
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref d, (i * columnBlocks + j) * rank), rank),
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref zb, j * rank), rank),
                        hi, hi);
                }
            }
        }
    }

    /// <summary>
    /// <c>∂D[i, j, r] += Σ_b dh[b, i·R + r]·z[b, j·R + r]</c> and <c>dz[b, j·R + r] = Σ_i D[i, j, r]·dh[b, i·R + r]</c>.
    /// </summary>
    public static void Backward(ref float z, ref float dh, ref float d, ref float dGradient, ref float dz, int rowBlocks, int columnBlocks, int rank, int rows)
    {
        for (nint b = 0; b < rows; b++)
        {
            ref float zb = ref Unsafe.Add(ref z, b * columnBlocks * rank);
            ref float dhb = ref Unsafe.Add(ref dh, b * rowBlocks * rank);
            ref float dzb = ref Unsafe.Add(ref dz, b * columnBlocks * rank);
            MemoryMarshal.CreateSpan(ref dzb, columnBlocks * rank).Clear();
            for (nint i = 0; i < rowBlocks; i++)
            {
                ReadOnlySpan<float> dhi = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref dhb, i * rank), rank);
                for (nint j = 0; j < columnBlocks; j++)
                {
                    nint offset = (i * columnBlocks + j) * rank;
                    Span<float> gij = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dGradient, offset), rank);
                    TensorPrimitives.FusedMultiplyAdd(dhi, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref zb, j * rank), rank), gij, gij);
                    Span<float> dzj = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dzb, j * rank), rank);
                    TensorPrimitives.FusedMultiplyAdd(dhi, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref d, offset), rank), dzj, dzj);
                }
            }
        }
    }
}
