using System;

namespace StructGen.Projection;

/// <summary>
/// Projection onto rank-<c>R</c> matrices <c>W ≈ B·A</c> (<c>A [R, In]</c>, <c>B [Out, R]</c>) by truncated
/// SVD, which is optimal in the Frobenius and spectral norms (Eckart–Young–Mirsky): the error is
/// <c>sqrt(Σ_{t ≥ R} σ_t²)</c>.
/// </summary>
/// <remarks>
/// Each singular value is split evenly, <c>B = U_R·√Σ_R</c> and <c>A = √Σ_R·V_Rᵀ</c>, so both factors have
/// the same scale (what training from the projection wants). When <c>R</c> exceeds <c>min(In, Out)</c> the
/// surplus rows of <c>A</c> and columns of <c>B</c> are zero (the projection is then exact). Cost: see
/// <see cref="TruncatedSvd"/> — exact Jacobi for small matrices, randomized subspace iteration for large ones.
/// </remarks>
public static class LowRankProjection
{
    /// <summary>The best rank-<paramref name="rank"/> approximation of <paramref name="dense"/> as <c>A</c>, <c>B</c>.</summary>
    /// <param name="dense">The weight <c>W</c>, <c>[Out, In]</c> row-major.</param>
    /// <param name="outFeatures">Rows of <paramref name="dense"/> (<c>Out</c>).</param>
    /// <param name="inFeatures">Columns of <paramref name="dense"/> (<c>In</c>).</param>
    /// <param name="rank">The rank <c>R</c>, at least 1.</param>
    /// <param name="seed">Seed of the randomized SVD used for large matrices.</param>
    /// <returns><c>lowrank(r: R)</c> with tensors <c>A [R, In]</c>, <c>B [Out, R]</c>.</returns>
    public static ProjectedStructure Project(ReadOnlySpan<float> dense, int outFeatures, int inFeatures, int rank, int seed = 0)
    {
        DenseWeight w = DenseWeight.From(dense, outFeatures, inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);

        SingularValueDecomposition svd = TruncatedSvd.Decompose(w.Values, outFeatures, inFeatures, rank, seed);
        var a = new float[rank * inFeatures];
        var b = new float[outFeatures * rank];
        for (int t = 0; t < svd.Rank; t++)
        {
            double root = Math.Sqrt(svd.Values[t]);
            ReadOnlySpan<double> u = svd.LeftVector(t);
            ReadOnlySpan<double> v = svd.RightVector(t);
            for (int j = 0; j < inFeatures; j++)
            {
                a[t * inFeatures + j] = (float)(root * v[j]);
            }
            for (int i = 0; i < outFeatures; i++)
            {
                b[i * rank + t] = (float)(root * u[i]);
            }
        }
        return new ProjectedStructure(
            $"lowrank(r: {rank})",
            outFeatures,
            inFeatures,
            [new ProjectedTensor("A", [rank, inFeatures], a), new ProjectedTensor("B", [outFeatures, rank], b)]);
    }
}
