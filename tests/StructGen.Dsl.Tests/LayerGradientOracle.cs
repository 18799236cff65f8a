using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Dsl.Tests.Oracle;

namespace StructGen.Dsl.Tests;

/// <summary>
/// Central finite differences of <c>L = Σ dy ⊙ y</c> with <c>y = x·Wᵀ + b</c> and <c>W</c> rebuilt in double from a
/// composite layer's named tensors (<see cref="LayerCatalog.Entry.Weight"/>): the oracle of the layer backward tests.
/// </summary>
public static class LayerGradientOracle
{
    private const double Step = 1e-3;

    /// <summary>
    /// Holds every tensor's gradient in <paramref name="gradients"/> (what one backward added) to the differences, at every
    /// coordinate of tensors up to <paramref name="coordinates"/> long and at that many random ones of longer tensors.
    /// </summary>
    public static void CheckParameterGradients(string name, IStructuredLinear layer, float[] gradients, float[] x, float[] dy, int batch, int coordinates, int seed, string what)
    {
        double[] xd = x.Select(v => (double)v).ToArray();
        var tensors = new TensorSet(layer.Tensors, layer.Parameters);
        Func<TensorSet, Matrix> weight = LayerCatalog.All[name].Weight;
        var rng = new Random(seed);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            double[] values = tensors[tensor.Name];
            IEnumerable<int> chosen = values.Length <= coordinates
                ? Enumerable.Range(0, values.Length)
                : Enumerable.Range(0, coordinates).Select(_ => rng.Next(values.Length)).Distinct();
            var expected = new List<double>();
            var actual = new List<float>();
            foreach (int c in chosen)
            {
                double keep = values[c];
                values[c] = keep + Step; double plus = Loss(weight, tensors, xd, dy, batch);
                values[c] = keep - Step; double minus = Loss(weight, tensors, xd, dy, batch);
                values[c] = keep;
                expected.Add((plus - minus) / (2 * Step));
                actual.Add(gradients[tensor.Offset + c]);
            }
            Tolerance.Close(expected.ToArray(), actual.ToArray(), 1e-3, $"{what} ∂{tensor.Name}");
        }
    }

    /// <summary><c>∂L/∂x = dy·W</c> exactly, with <c>W</c> rebuilt in double from the layer's tensors.</summary>
    public static double[] InputGradientExact(string name, IStructuredLinear layer, float[] dy, int batch)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        Matrix w = LayerCatalog.All[name].Weight(new TensorSet(layer.Tensors, layer.Parameters));
        var expected = new double[batch * n];
        for (int b = 0; b < batch; b++)
        for (int o = 0; o < m; o++)
        {
            double g = dy[b * m + o];
            for (int i = 0; i < n; i++) expected[b * n + i] += g * w[o, i];
        }
        return expected;
    }

    /// <summary><c>∂L/∂x</c> by central differences, every coordinate.</summary>
    public static double[] InputGradient(string name, IStructuredLinear layer, float[] x, float[] dy, int batch)
    {
        var tensors = new TensorSet(layer.Tensors, layer.Parameters);
        Matrix w = LayerCatalog.All[name].Weight(tensors);
        double[]? bias = tensors.Contains("bias") ? tensors["bias"] : null;
        double[] xd = x.Select(v => (double)v).ToArray();
        var expected = new double[xd.Length];
        for (int i = 0; i < xd.Length; i++)
        {
            double keep = xd[i];
            xd[i] = keep + Step; double plus = Dot(w.Apply(xd, batch, bias), dy);
            xd[i] = keep - Step; double minus = Dot(w.Apply(xd, batch, bias), dy);
            xd[i] = keep;
            expected[i] = (plus - minus) / (2 * Step);
        }
        return expected;
    }

    private static double Loss(Func<TensorSet, Matrix> weight, TensorSet tensors, double[] x, float[] dy, int batch)
        => Dot(weight(tensors).Apply(x, batch, tensors.Contains("bias") ? tensors["bias"] : null), dy);

    private static double Dot(double[] y, float[] dy)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * dy[i];
        return sum;
    }
}
