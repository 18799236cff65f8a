using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Gpu.Tests.Oracle;

/// <summary>
/// The dense weight W [Out, In] rebuilt in double precision from a layer's named tensors by the formulas
/// of STRUCTURES.md, independently of the generated code; and y = x·Wᵀ + bias from it.
/// </summary>
public static class DenseWeight
{
    /// <summary>Every tensor of the layer, by name, as doubles.</summary>
    public static Dictionary<string, double[]> Tensors(IStructuredLinear layer)
    {
        float[] parameters = layer.Parameters.ToArray();
        return layer.Tensors.ToDictionary(t => t.Name, t => parameters.AsSpan(t.Offset, t.Length).ToArray().Select(v => (double)v).ToArray());
    }

    private static int[] Shape(IStructuredLinear layer, string name) => layer.Tensors.Single(t => t.Name == name).Shape.ToArray();

    /// <summary>W from <paramref name="t"/>, for the structure its tensor names identify.</summary>
    public static double[] Build(IStructuredLinear layer, Dictionary<string, double[]> t)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        var w = new double[m * n];
        if (t.TryGetValue("blkdiag1", out double[]? b1))
        {
            // fly Monarch: W[s·K + l, k·P + p] += blkdiag2[l, s, r]·blkdiag1[k, q, p] where k·Q + q = r·K + l.
            int[] s1 = Shape(layer, "blkdiag1"), s2 = Shape(layer, "blkdiag2");
            int blocks = s1[0], q = s1[1], p = s1[2], s = s2[1], r = s2[2];
            double[] b2 = t["blkdiag2"];
            for (int k = 0; k < blocks; k++)
            for (int qq = 0; qq < q; qq++)
            {
                int flat = k * q + qq, l = flat % blocks, rr = flat / blocks;
                for (int ss = 0; ss < s; ss++)
                for (int pp = 0; pp < p; pp++)
                {
                    int row = ss * blocks + l, col = k * p + pp;
                    if (row < m && col < n) w[row * n + col] += b2[(l * s + ss) * r + rr] * b1[(k * q + qq) * p + pp];
                }
            }
        }
        else if (t.TryGetValue("w1", out double[]? w1))
        {
            int[] s1 = Shape(layer, "w1"), s2 = Shape(layer, "w2");
            double[] w2 = t["w2"];
            for (int i1 = 0; i1 < s1[0]; i1++)
            for (int j1 = 0; j1 < s1[1]; j1++)
            for (int i2 = 0; i2 < s2[0]; i2++)
            for (int j2 = 0; j2 < s2[1]; j2++)
                w[(i1 * s2[0] + i2) * n + j1 * s2[1] + j2] = w1[i1 * s1[1] + j1] * w2[i2 * s2[1] + j2];
        }
        else if (t.ContainsKey("C"))
        {
            // BLAST: W_ij = B[i]·diag(D[i, j])·C[j].
            int[] sb = Shape(layer, "B"), sc = Shape(layer, "C");
            int rowBlocks = sb[0], blockOut = sb[1], r = sb[2], columnBlocks = sc[0], blockIn = sc[2];
            for (int i = 0; i < rowBlocks; i++)
            for (int j = 0; j < columnBlocks; j++)
            for (int rr = 0; rr < r; rr++)
            for (int o = 0; o < blockOut; o++)
            for (int c = 0; c < blockIn; c++)
                w[(i * blockOut + o) * n + j * blockIn + c] += t["B"][(i * blockOut + o) * r + rr] * t["D"][(i * columnBlocks + j) * r + rr] * t["C"][(j * r + rr) * blockIn + c];
        }
        else if (t.TryGetValue("A", out double[]? a))
        {
            int r = Shape(layer, "A")[0];
            for (int o = 0; o < m; o++)
            for (int rr = 0; rr < r; rr++)
            for (int i = 0; i < n; i++)
                w[o * n + i] += t["B"][o * r + rr] * a[rr * n + i];
        }
        else if (Shape(layer, "weight") is { Length: 3 } sw)
        {
            // Block diagonal with fly's padding: only real rows and columns.
            for (int k = 0; k < sw[0]; k++)
            for (int o = 0; o < sw[1]; o++)
            for (int i = 0; i < sw[2]; i++)
                if (k * sw[1] + o < m && k * sw[2] + i < n)
                    w[(k * sw[1] + o) * n + k * sw[2] + i] = t["weight"][(k * sw[1] + o) * sw[2] + i];
        }
        else
        {
            Array.Copy(t["weight"], w, w.Length);
        }
        return w;
    }

    /// <summary>y = x·Wᵀ + bias.</summary>
    public static double[] Forward(IStructuredLinear layer, double[] w, double[]? bias, float[] x, int batch)
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

    /// <summary>dx = dy·W.</summary>
    public static double[] InputGradient(IStructuredLinear layer, double[] w, float[] dy, int batch)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        var dx = new double[batch * n];
        for (int b = 0; b < batch; b++)
        for (int o = 0; o < m; o++)
        for (int i = 0; i < n; i++)
            dx[b * n + i] += dy[b * m + o] * w[o * n + i];
        return dx;
    }

    /// <summary>The loss L = Σ dy ⊙ y whose gradient Backward computes.</summary>
    public static double Loss(IStructuredLinear layer, Dictionary<string, double[]> t, float[] x, float[] dy, int batch)
    {
        double[] y = Forward(layer, Build(layer, t), t.TryGetValue("bias", out double[]? bias) ? bias : null, x, batch);
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * dy[i];
        return sum;
    }
}
