using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Layers.Tests.Oracle;

/// <summary>
/// Gradient oracles independent of the kernels: <c>dx = dy·W</c> with W rebuilt in double precision, and
/// central finite differences of the double-precision forward of <c>L = Σ dy ⊙ y</c> for sampled parameter
/// coordinates.
/// </summary>
public static class GradientOracle
{
    private const double Step = 1e-3;

    /// <summary><c>dy·W</c>, <c>[batch, In]</c>, with W rebuilt from the layer's parameters.</summary>
    public static double[] InputGradient(IStructuredLinear layer, float[] dy, int batch)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        double[] w = DenseOracle.Weight(layer, DenseOracle.Read(layer, layer.Parameters)); // [m, n]
        var expected = new double[batch * n];
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < m; o++)
            {
                double g = dy[b * m + o];
                for (int i = 0; i < n; i++)
                {
                    expected[b * n + i] += g * w[o * n + i];
                }
            }
        }
        return expected;
    }

    /// <summary>
    /// The gradient of the dense weight, <c>∂W = Σ_b dy_bᵀ·x_b</c> (<c>[Out, In]</c>), and of the bias, <c>Σ_b dy_b</c>, in
    /// double precision: what a structure's factor gradients must give through the chain rule for calls too large for
    /// finite differences.
    /// </summary>
    public static (double[] Weight, double[] Bias) DenseParameterGradients(IStructuredLinear layer, float[] x, float[] dy, int batch)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        var weight = new double[m * n];
        var bias = new double[m];
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < m; o++)
            {
                double g = dy[b * m + o];
                bias[o] += g;
                for (int i = 0; i < n; i++)
                {
                    weight[o * n + i] += g * x[b * n + i];
                }
            }
        }
        return (weight, bias);
    }

    /// <summary>
    /// Checks <paramref name="gradients"/> (laid out as the layer's parameters) at <paramref name="samples"/> random
    /// coordinates of every tensor, and its last one (tails of the register blocks sit at the ends of rows),
    /// against central differences.
    /// </summary>
    public static void CheckParameterGradients(IStructuredLinear layer, float[] x, float[] dy, int batch, float[] gradients, int samples, int seed, string what)
    {
        double[] xd = x.Select(v => (double)v).ToArray();
        Dictionary<string, double[]> tensors = DenseOracle.Read(layer, layer.Parameters);
        var rng = new Random(seed);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            double[] values = tensors[tensor.Name];
            int[] coordinates = Enumerable.Range(0, samples).Select(_ => rng.Next(values.Length)).Append(values.Length - 1).Distinct().ToArray();
            var expected = new double[coordinates.Length];
            var actual = new float[coordinates.Length];
            for (int c = 0; c < coordinates.Length; c++)
            {
                int at = coordinates[c];
                double keep = values[at];
                values[at] = keep + Step; double plus = Loss(layer, tensors, xd, dy, batch);
                values[at] = keep - Step; double minus = Loss(layer, tensors, xd, dy, batch);
                values[at] = keep;
                expected[c] = (plus - minus) / (2 * Step);
                actual[c] = gradients[tensor.Offset + at];
            }
            Tolerance.Close(expected, actual, 1e-3, $"{what} ∂{tensor.Name}");
        }
    }

    private static double Loss(IStructuredLinear layer, Dictionary<string, double[]> tensors, double[] x, float[] dy, int batch)
    {
        double[] y = DenseOracle.Forward(layer, tensors, x, batch);
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * dy[i];
        return sum;
    }
}
