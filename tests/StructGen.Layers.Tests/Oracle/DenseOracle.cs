using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Layers.Tests.Oracle;

/// <summary>
/// Rebuilds the dense weight W [Out, In] from a layer's named tensors by the formulas of STRUCTURES.md,
/// in double precision, independently of the generated code (no call to ToDense or the kernels).
/// </summary>
public static class DenseOracle
{
    /// <summary>Reads every tensor of the layer by name into doubles.</summary>
    public static Dictionary<string, double[]> Read(IStructuredLinear layer, ReadOnlySpan<float> parameters)
    {
        var map = new Dictionary<string, double[]>();
        foreach (ParameterTensor t in layer.Tensors)
        {
            map[t.Name] = parameters.Slice(t.Offset, t.Length).ToArray().Select(v => (double)v).ToArray();
        }
        return map;
    }

    public static int[] Shape(IStructuredLinear layer, string name) => layer.Tensors.Single(t => t.Name == name).Shape.ToArray();

    /// <summary>W [Out, In] from tensors <paramref name="t"/>, for the layer's structure (recognized by its tensor names).</summary>
    public static double[] Weight(IStructuredLinear layer, Dictionary<string, double[]> t)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        var w = new double[m * n];
        if (t.ContainsKey("blkdiag1"))
        {
            // fly's Monarch: W[s·l + l', k'·p + p'] = Σ_q' [ (k'q + q') = r'·l + l' ] blkdiag2[l', s', r']·blkdiag1[k', q', p']
            int[] s1 = Shape(layer, "blkdiag1"), s2 = Shape(layer, "blkdiag2");
            int k = s1[0], q = s1[1], p = s1[2], l = s2[0], s = s2[1], r = s2[2];
            Assert.Equal(l * r, k * q);
            for (int kk = 0; kk < k; kk++)
            for (int qq = 0; qq < q; qq++)
            {
                int flat = kk * q + qq, ll = flat % l, rr = flat / l;
                for (int ss = 0; ss < s; ss++)
                {
                    int row = ss * l + ll;
                    if (row >= m) continue;
                    for (int pp = 0; pp < p; pp++)
                    {
                        int col = kk * p + pp;
                        if (col >= n) continue;
                        w[row * n + col] += t["blkdiag2"][(ll * s + ss) * r + rr] * t["blkdiag1"][(kk * q + qq) * p + pp];
                    }
                }
            }
        }
        else if (t.ContainsKey("w1"))
        {
            int[] s1 = Shape(layer, "w1"), s2 = Shape(layer, "w2");
            for (int i1 = 0; i1 < s1[0]; i1++)
            for (int j1 = 0; j1 < s1[1]; j1++)
            for (int i2 = 0; i2 < s2[0]; i2++)
            for (int j2 = 0; j2 < s2[1]; j2++)
                w[(i1 * s2[0] + i2) * n + j1 * s2[1] + j2] = t["w1"][i1 * s1[1] + j1] * t["w2"][i2 * s2[1] + j2];
        }
        else if (t.ContainsKey("C"))
        {
            int[] sb = Shape(layer, "B"), sc = Shape(layer, "C");
            int b1 = sb[0], bo = sb[1], r = sb[2], b2 = sc[0], bi = sc[2];
            for (int i = 0; i < b1; i++)
            for (int j = 0; j < b2; j++)
            for (int rr = 0; rr < r; rr++)
            {
                double dij = t["D"][(i * b2 + j) * r + rr];
                for (int o = 0; o < bo; o++)
                {
                    double bd = t["B"][(i * bo + o) * r + rr] * dij;
                    for (int c = 0; c < bi; c++)
                        w[(i * bo + o) * n + j * bi + c] += bd * t["C"][(j * r + rr) * bi + c];
                }
            }
        }
        else if (t.ContainsKey("A"))
        {
            int r = Shape(layer, "A")[0];
            for (int o = 0; o < m; o++)
            for (int rr = 0; rr < r; rr++)
            {
                double b = t["B"][o * r + rr];
                for (int i = 0; i < n; i++) w[o * n + i] += b * t["A"][rr * n + i];
            }
        }
        else if (Shape(layer, "weight").Length == 3)
        {
            int[] sw = Shape(layer, "weight");
            int k = sw[0], bo = sw[1], bi = sw[2];
            for (int kk = 0; kk < k; kk++)
            for (int o = 0; o < bo; o++)
            for (int i = 0; i < bi; i++)
                if (kk * bo + o < m && kk * bi + i < n)
                    w[(kk * bo + o) * n + kk * bi + i] = t["weight"][(kk * bo + o) * bi + i];
        }
        else
        {
            Array.Copy(t["weight"], w, w.Length);
        }
        return w;
    }

    /// <summary>y = x·Wᵀ + bias in double.</summary>
    public static double[] Forward(IStructuredLinear layer, Dictionary<string, double[]> t, double[] x, int batch)
        => Forward(layer, Weight(layer, t), t.TryGetValue("bias", out double[]? bias) ? bias : null, x, batch);

    /// <summary>y = x·Wᵀ + bias in double, with W already rebuilt.</summary>
    public static double[] Forward(IStructuredLinear layer, double[] w, double[]? bias, double[] x, int batch)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        var y = new double[batch * m];
        for (int b = 0; b < batch; b++)
        for (int o = 0; o < m; o++)
        {
            double sum = bias?[o] ?? 0;
            for (int i = 0; i < n; i++) sum += x[b * n + i] * w[o * n + i];
            y[b * m + o] = sum;
        }
        return y;
    }
}
