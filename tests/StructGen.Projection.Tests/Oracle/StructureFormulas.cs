using System;

namespace StructGen.Projection.Tests.Oracle;

/// <summary>
/// The dense weight of each structure, rebuilt in the test straight from STRUCTURES.md — the independent
/// oracle. Nothing here calls production code. Tensors are row-major, shapes as STRUCTURES.md gives them.
/// </summary>
internal static class StructureFormulas
{
    /// <summary>Low rank: <c>W = B·A</c>, <c>A [R, In]</c>, <c>B [Out, R]</c>.</summary>
    public static double[] LowRank(float[] a, float[] b, int outFeatures, int inFeatures, int rank)
    {
        var w = new double[outFeatures * inFeatures];
        for (int i = 0; i < outFeatures; i++)
        {
            for (int j = 0; j < inFeatures; j++)
            {
                double sum = 0;
                for (int t = 0; t < rank; t++)
                {
                    sum += (double)b[i * rank + t] * a[t * inFeatures + j];
                }
                w[i * inFeatures + j] = sum;
            }
        }
        return w;
    }

    /// <summary>Kronecker: <c>W[i1·Out2 + i2, j1·In2 + j2] = w1[i1, j1]·w2[i2, j2]</c>.</summary>
    public static double[] Kronecker(float[] w1, float[] w2, int out1, int in1, int out2, int in2)
    {
        int inFeatures = in1 * in2;
        var w = new double[out1 * out2 * inFeatures];
        for (int i1 = 0; i1 < out1; i1++)
        {
            for (int j1 = 0; j1 < in1; j1++)
            {
                for (int i2 = 0; i2 < out2; i2++)
                {
                    for (int j2 = 0; j2 < in2; j2++)
                    {
                        w[(i1 * out2 + i2) * inFeatures + j1 * in2 + j2] = (double)w1[i1 * in1 + j1] * w2[i2 * in2 + j2];
                    }
                }
            }
        }
        return w;
    }

    /// <summary>BLAST: block (i, j) is <c>B[i]·diag(D[i, j])·C[j]</c>; <c>B [b1, m, R]</c>, <c>C [b2, R, n]</c>, <c>D [b1, b2, R]</c>.</summary>
    public static double[] Blast(float[] b, float[] c, float[] d, int outFeatures, int inFeatures, int b1, int b2, int rank)
    {
        int m = outFeatures / b1;
        int n = inFeatures / b2;
        var w = new double[outFeatures * inFeatures];
        for (int i = 0; i < b1; i++)
        {
            for (int j = 0; j < b2; j++)
            {
                for (int a = 0; a < m; a++)
                {
                    for (int col = 0; col < n; col++)
                    {
                        double sum = 0;
                        for (int r = 0; r < rank; r++)
                        {
                            sum += (double)b[(i * m + a) * rank + r] * d[(i * b2 + j) * rank + r] * c[(j * rank + r) * n + col];
                        }
                        w[(i * m + a) * inFeatures + j * n + col] = sum;
                    }
                }
            }
        }
        return w;
    }

    /// <summary>Block diagonal: <c>weight [K, o, p]</c> with <c>o = ⌈Out/K⌉</c>, <c>p = ⌈In/K⌉</c>; padded rows and columns cut.</summary>
    public static double[] BlockDiagonal(float[] weight, int outFeatures, int inFeatures, int blocks)
    {
        int o = (outFeatures + blocks - 1) / blocks;
        int p = (inFeatures + blocks - 1) / blocks;
        var w = new double[outFeatures * inFeatures];
        for (int k = 0; k < blocks; k++)
        {
            for (int i = 0; i < o; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    int row = k * o + i;
                    int column = k * p + j;
                    if (row < outFeatures && column < inFeatures)
                    {
                        w[row * inFeatures + column] = weight[(k * o + i) * p + j];
                    }
                }
            }
        }
        return w;
    }

    /// <summary>The Monarch tensor shapes from STRUCTURES.md: (blkdiag1 [K, q, p], blkdiag2 [K, s, r]).</summary>
    public static (int[] Blkdiag1, int[] Blkdiag2) MonarchShapes(int outFeatures, int inFeatures, int blocks)
    {
        int paddedIn = blocks * ((inFeatures + blocks - 1) / blocks);
        int paddedOut = blocks * ((outFeatures + blocks - 1) / blocks);
        int p = paddedIn / blocks;
        int o = paddedOut / blocks;
        return paddedIn < paddedOut
            ? ([blocks, p, p], [blocks, o, p])
            : ([blocks, o, p], [blocks, o, o]);
    }

    /// <summary>
    /// Monarch: the dense weight of fly's forward, column by column — the four forward steps of
    /// STRUCTURES.md applied to each unit input (zero-padded to In'), outputs cut to Out.
    /// </summary>
    public static double[] Monarch(float[] blkdiag1, int[] shape1, float[] blkdiag2, int[] shape2, int outFeatures, int inFeatures)
    {
        int k = shape1[0], q = shape1[1], p = shape1[2];
        int l = shape2[0], s = shape2[1], r = shape2[2];
        Assert.Equal(k * q, l * r);
        var w = new double[outFeatures * inFeatures];
        var x = new double[k * p];
        var u = new double[k * q];
        var z = new double[s * l];
        for (int column = 0; column < inFeatures; column++)
        {
            Array.Clear(x);
            x[column] = 1;
            // 1. block-diagonal multiply
            for (int kk = 0; kk < k; kk++)
            {
                for (int qq = 0; qq < q; qq++)
                {
                    double sum = 0;
                    for (int pp = 0; pp < p; pp++)
                    {
                        sum += blkdiag1[(kk * q + qq) * p + pp] * x[kk * p + pp];
                    }
                    u[kk * q + qq] = sum;
                }
            }
            // 2–3. read u_flat as [r, l]: v[l', r'] = u_flat[r'·l + l']; second block-diagonal multiply
            for (int ll = 0; ll < l; ll++)
            {
                for (int ss = 0; ss < s; ss++)
                {
                    double sum = 0;
                    for (int rr = 0; rr < r; rr++)
                    {
                        sum += blkdiag2[(ll * s + ss) * r + rr] * u[rr * l + ll];
                    }
                    // 4. output order (s l)
                    z[ss * l + ll] = sum;
                }
            }
            for (int row = 0; row < outFeatures; row++)
            {
                w[row * inFeatures + column] = z[row];
            }
        }
        return w;
    }
}
