using System;

namespace StructGen.Projection;

/// <summary>
/// Projection onto Kronecker products <c>W ≈ w1 ⊗ w2</c> (<c>torch.kron</c> order:
/// <c>W[i1·Out2 + i2, j1·In2 + j2] = w1[i1, j1]·w2[i2, j2]</c>) by Van Loan and Pitsianis's nearest
/// Kronecker product, optimal in the Frobenius norm.
/// </summary>
/// <remarks>
/// The rearrangement <c>R[(i1, j1), (i2, j2)] = W[i1·Out2 + i2, j1·In2 + j2]</c> is a permutation of the
/// entries of <c>W</c> that turns <c>w1 ⊗ w2</c> into the rank-1 matrix <c>vec(w1)·vec(w2)ᵀ</c>, so
/// <c>‖W − w1 ⊗ w2‖_F = ‖R − vec(w1)·vec(w2)ᵀ‖_F</c> and the best factors are the top singular pair of
/// <c>R</c> (<c>[Out1·In1, Out2·In2]</c>), scaled by <c>√σ₁</c> each. The sign is fixed so that the
/// largest-magnitude entry of <c>w1</c> is positive. Cost: a rank-1 truncated SVD of <c>R</c>.
/// </remarks>
public static class KroneckerProjection
{
    /// <summary>The nearest <c>w1 ⊗ w2</c> to <paramref name="dense"/> with the given factor shapes.</summary>
    /// <param name="dense">The weight <c>W</c>, <c>[Out, In]</c> row-major.</param>
    /// <param name="outFeatures">Rows of <paramref name="dense"/> (<c>Out = out1·out2</c>).</param>
    /// <param name="inFeatures">Columns of <paramref name="dense"/> (<c>In = in1·in2</c>).</param>
    /// <param name="out1">Rows of <c>w1</c>.</param>
    /// <param name="in1">Columns of <c>w1</c>.</param>
    /// <param name="out2">Rows of <c>w2</c>.</param>
    /// <param name="in2">Columns of <c>w2</c>.</param>
    /// <param name="seed">Seed of the randomized SVD used for large rearranged matrices.</param>
    /// <returns><c>kronecker(out1xin1, out2xin2)</c> with tensors <c>w1 [out1, in1]</c>, <c>w2 [out2, in2]</c>.</returns>
    public static ProjectedStructure Project(ReadOnlySpan<float> dense, int outFeatures, int inFeatures, int out1, int in1, int out2, int in2, int seed = 0)
    {
        DenseWeight w = DenseWeight.From(dense, outFeatures, inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(out1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(in1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(out2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(in2);
        if ((long)out1 * out2 != outFeatures)
        {
            throw new ArgumentException($"out1·out2 must equal Out = {outFeatures} but is {out1}·{out2} = {(long)out1 * out2}.", nameof(out2));
        }
        if ((long)in1 * in2 != inFeatures)
        {
            throw new ArgumentException($"in1·in2 must equal In = {inFeatures} but is {in1}·{in2} = {(long)in1 * in2}.", nameof(in2));
        }

        int rows = out1 * in1;
        int columns = out2 * in2;
        var rearranged = new double[(long)rows * columns];
        for (int i1 = 0; i1 < out1; i1++)
        {
            for (int j1 = 0; j1 < in1; j1++)
            {
                int row = i1 * in1 + j1;
                for (int i2 = 0; i2 < out2; i2++)
                {
                    w.Values.AsSpan((i1 * out2 + i2) * inFeatures + j1 * in2, in2)
                        .CopyTo(rearranged.AsSpan(row * columns + i2 * in2, in2));
                }
            }
        }

        SingularValueDecomposition svd = TruncatedSvd.Decompose(rearranged, rows, columns, 1, seed);
        ReadOnlySpan<double> u = svd.LeftVector(0);
        ReadOnlySpan<double> v = svd.RightVector(0);
        int largest = 0;
        for (int i = 1; i < u.Length; i++)
        {
            if (Math.Abs(u[i]) > Math.Abs(u[largest]))
            {
                largest = i;
            }
        }
        double root = Math.Sqrt(svd.Values[0]);
        double sign = u[largest] < 0 ? -1 : 1;

        var w1 = new float[rows];
        var w2 = new float[columns];
        for (int i = 0; i < rows; i++)
        {
            w1[i] = (float)(sign * root * u[i]);
        }
        for (int i = 0; i < columns; i++)
        {
            w2[i] = (float)(sign * root * v[i]);
        }
        return new ProjectedStructure(
            $"kronecker({out1}x{in1}, {out2}x{in2})",
            outFeatures,
            inFeatures,
            [new ProjectedTensor("w1", [out1, in1], w1), new ProjectedTensor("w2", [out2, in2], w2)]);
    }
}
