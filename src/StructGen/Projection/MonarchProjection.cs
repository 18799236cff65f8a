using System;
using System.Collections.Generic;

namespace StructGen.Projection;

/// <summary>
/// Projection onto Monarch matrices (fly <c>MonarchLinear</c>, "version 2"; tensors <c>blkdiag1 [K, q, p]</c>
/// and <c>blkdiag2 [K, s, r]</c> as STRUCTURES.md lays them out), by the Monarch paper's analytical
/// solution: a block-wise truncated SVD, optimal in the Frobenius norm.
/// </summary>
/// <remarks>
/// <para>
/// Why it is optimal. In STRUCTURES.md's dense form each inner index <c>m = k'·q + q'</c> contributes one
/// rank-1 term <c>blkdiag2[l', :, r'] ⊗ blkdiag1[k', q', :]</c> (with <c>l' = m mod K</c>,
/// <c>r' = m div K</c>) to exactly one sub-matrix of <c>W</c>: the one linking input block <c>k'</c>
/// (columns <c>k'·p + p'</c>) to output group <c>l'</c> (rows <c>s'·K + l'</c>), which is <c>s × p</c>.
/// Every vector belongs to exactly one <c>m</c>, so the <c>K²</c> sub-matrices are independent and the
/// Monarch class is exactly "sub-matrix <c>(l', k')</c> has rank ≤ <c>n(k', l')</c>", where <c>n</c> counts
/// the <c>q'</c> in <c>[0, q)</c> with <c>(k'·q + q') mod K = l'</c>. By Eckart–Young the best approximation
/// takes the top <c>n(k', l')</c> singular pairs of each sub-matrix. In the paper's square case
/// (<c>n = K²</c>, so <c>q = K</c>) every <c>n(k', l') = 1</c>: the block-wise rank-1 SVD; for fly's general
/// shapes (e.g. 4 blocks of 256) it is about <c>q/K</c>.
/// </para>
/// <para>
/// Padding (<c>K</c> not dividing <c>In</c> or <c>Out</c>): <c>W</c> is zero-padded to <c>[Out', In']</c>.
/// Zero rows and columns do not raise a sub-matrix's rank, so a Monarch input is still recovered exactly;
/// for other inputs the padded entries (which the layer never uses) are left at zero rather than chosen
/// freely, so the projection is optimal for the padded matrix and an upper bound for the unpadded one.
/// </para>
/// <para>
/// Cost: <c>K²</c> truncated SVDs of <c>s × p</c> matrices (see <see cref="TruncatedSvd"/>).
/// Singular values are split evenly between the factors (<c>√σ</c> to each).
/// </para>
/// </remarks>
public static class MonarchProjection
{
    /// <summary>The best Monarch approximation of <paramref name="dense"/> with <paramref name="blocks"/> blocks.</summary>
    /// <param name="dense">The weight <c>W</c>, <c>[Out, In]</c> row-major.</param>
    /// <param name="outFeatures">Rows of <paramref name="dense"/> (<c>Out</c>).</param>
    /// <param name="inFeatures">Columns of <paramref name="dense"/> (<c>In</c>).</param>
    /// <param name="blocks">The number of blocks <c>K</c>, at least 1.</param>
    /// <param name="seed">Seed of the randomized SVD used for large sub-matrices.</param>
    /// <returns>
    /// <c>monarch(blocks: K)</c> with <c>blkdiag1 [K, p, p]</c>, <c>blkdiag2 [K, o, p]</c> when <c>In' &lt; Out'</c>,
    /// else <c>blkdiag1 [K, o, p]</c>, <c>blkdiag2 [K, o, o]</c> (<c>p = In'/K</c>, <c>o = Out'/K</c>).
    /// </returns>
    public static ProjectedStructure Project(ReadOnlySpan<float> dense, int outFeatures, int inFeatures, int blocks, int seed = 0)
    {
        DenseWeight w = DenseWeight.From(dense, outFeatures, inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);

        int k = blocks;
        int p = (int)(((long)inFeatures + k - 1) / k);
        int o = (int)(((long)outFeatures + k - 1) / k);
        bool widening = (long)k * p < (long)k * o;
        int q = widening ? p : o; // rows of a blkdiag1 block = columns of a blkdiag2 block (r = q, l = k)
        int s = o;

        var blkdiag1 = new float[checked(k * q * p)];
        var blkdiag2 = new float[checked(k * s * q)];
        var sub = new double[s * p];
        var terms = new List<int>(q);
        for (int kk = 0; kk < k; kk++)
        {
            for (int ll = 0; ll < k; ll++)
            {
                terms.Clear();
                for (int qq = 0; qq < q; qq++)
                {
                    if ((kk * q + qq) % k == ll)
                    {
                        terms.Add(qq);
                    }
                }
                if (terms.Count == 0)
                {
                    continue;
                }

                // Sub-matrix linking input block kk to output group ll: rows s'·K + ll, columns kk·p + p'.
                for (int si = 0; si < s; si++)
                {
                    int row = si * k + ll;
                    for (int pi = 0; pi < p; pi++)
                    {
                        int column = kk * p + pi;
                        sub[si * p + pi] = row < outFeatures && column < inFeatures ? w[row, column] : 0;
                    }
                }

                SingularValueDecomposition svd = TruncatedSvd.Decompose(sub, s, p, terms.Count, seed);
                for (int t = 0; t < svd.Rank; t++)
                {
                    int qq = terms[t];
                    int r = (kk * q + qq) / k;
                    double root = Math.Sqrt(svd.Values[t]);
                    ReadOnlySpan<double> u = svd.LeftVector(t);
                    ReadOnlySpan<double> v = svd.RightVector(t);
                    for (int si = 0; si < s; si++)
                    {
                        blkdiag2[(ll * s + si) * q + r] = (float)(root * u[si]);
                    }
                    for (int pi = 0; pi < p; pi++)
                    {
                        blkdiag1[(kk * q + qq) * p + pi] = (float)(root * v[pi]);
                    }
                }
            }
        }

        return new ProjectedStructure(
            $"monarch(blocks: {blocks})",
            outFeatures,
            inFeatures,
            [new ProjectedTensor("blkdiag1", [k, q, p], blkdiag1), new ProjectedTensor("blkdiag2", [k, s, q], blkdiag2)]);
    }
}
