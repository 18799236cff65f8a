using System;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.Verification;

/// <summary>
/// The dense weight <c>W [Out, In]</c> rebuilt from a structure's tensors with plain loops, straight from
/// the formulas of ../shared/STRUCTURES.md (in double). It shares no code with the reference forms, so it
/// can judge them.
/// </summary>
internal static unsafe class NaiveDense
{
    /// <summary>Rebuilds <c>W</c>; <paramref name="tensor"/> gives each tensor's values by name.</summary>
    public static double[] Build(StructureShape shape, Func<string, IntPtr> tensor)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(tensor);
        int n = shape.In, m = shape.Out;
        var w = new double[(long)m * n];
        float* T(string name) => (float*)tensor(name);
        switch (shape.Kind)
        {
            case StructureKind.Dense:
            {
                float* weight = T("weight");
                for (long i = 0; i < w.LongLength; i++)
                {
                    w[i] = weight[i];
                }
                break;
            }
            case StructureKind.LowRank or StructureKind.LowRankWide:
            {
                // W = B·A, A [R, In], B [Out, R].
                float* a = T("A"), b = T("B");
                int rank = shape.Rank;
                for (int row = 0; row < m; row++)
                {
                    for (int r = 0; r < rank; r++)
                    {
                        double bv = b[(long)row * rank + r];
                        for (int col = 0; col < n; col++)
                        {
                            w[(long)row * n + col] += bv * a[(long)r * n + col];
                        }
                    }
                }
                break;
            }
            case StructureKind.BlockDiagonal:
            {
                // Block k of W (rows k·o…, columns k·p…) is weight[k].
                float* weight = T("weight");
                int blocks = shape.Blocks, o = m / blocks, p = n / blocks;
                for (int k = 0; k < blocks; k++)
                {
                    for (int a = 0; a < o; a++)
                    {
                        for (int c = 0; c < p; c++)
                        {
                            w[((long)k * o + a) * n + k * p + c] = weight[((long)k * o + a) * p + c];
                        }
                    }
                }
                break;
            }
            case StructureKind.Monarch:
            {
                // W[s'·l + l', k'·p + p'] = Σ over q' with (k'·q + q') mod l = l', r' = (k'·q + q') div l
                //   of blkdiag2[l', s', r'] · blkdiag1[k', q', p'].
                float* b1 = T("blkdiag1"), b2 = T("blkdiag2");
                (int k, int q, int p) = shape.MonarchFirst;
                (int l, int s, int r) = shape.MonarchSecond;
                for (int kk = 0; kk < k; kk++)
                {
                    for (int qq = 0; qq < q; qq++)
                    {
                        int flat = kk * q + qq, ll = flat % l, rr = flat / l;
                        for (int ss = 0; ss < s; ss++)
                        {
                            double v2 = b2[((long)ll * s + ss) * r + rr];
                            long row = ((long)ss * l + ll) * n;
                            for (int pp = 0; pp < p; pp++)
                            {
                                w[row + kk * p + pp] += v2 * b1[((long)kk * q + qq) * p + pp];
                            }
                        }
                    }
                }
                break;
            }
            case StructureKind.Kronecker:
            {
                // W[i1·Out2 + i2, j1·In2 + j2] = w1[i1, j1] · w2[i2, j2].
                float* w1 = T("w1"), w2 = T("w2");
                int out1 = shape.Out1, in1 = shape.In1, out2 = shape.Out2, in2 = shape.In2;
                for (int i1 = 0; i1 < out1; i1++)
                {
                    for (int i2 = 0; i2 < out2; i2++)
                    {
                        for (int j1 = 0; j1 < in1; j1++)
                        {
                            for (int j2 = 0; j2 < in2; j2++)
                            {
                                w[((long)i1 * out2 + i2) * n + j1 * in2 + j2] = (double)w1[i1 * in1 + j1] * w2[i2 * in2 + j2];
                            }
                        }
                    }
                }
                break;
            }
            case StructureKind.Blast:
            {
                // W_ij = B[i] · diag(D[i, j]) · C[j].
                float* b = T("B"), c = T("C"), d = T("D");
                int blocks = shape.Blocks, rank = shape.Rank, o = m / blocks, p = n / blocks;
                for (int i = 0; i < blocks; i++)
                {
                    for (int j = 0; j < blocks; j++)
                    {
                        for (int a = 0; a < o; a++)
                        {
                            long row = ((long)i * o + a) * n + j * p;
                            for (int r = 0; r < rank; r++)
                            {
                                double coefficient = (double)b[((long)i * o + a) * rank + r] * d[((long)i * blocks + j) * rank + r];
                                float* cRow = c + ((long)j * rank + r) * p;
                                for (int col = 0; col < p; col++)
                                {
                                    w[row + col] += coefficient * cRow[col];
                                }
                            }
                        }
                    }
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape.Kind, null);
        }
        return w;
    }
}
