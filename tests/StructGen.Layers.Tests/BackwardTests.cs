using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

/// <summary>
/// Backward against central finite differences of a double-precision reference forward of the loss
/// <c>L = Σ dy ⊙ y</c>: the input gradient and every parameter gradient.
/// </summary>
public class BackwardTests
{
    private const double Step = 1e-3;

    [Theory]
    [MemberData(nameof(LayerCatalog.Small), MemberType = typeof(LayerCatalog))]
    public void Input_gradient_matches_finite_differences(string name)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        const int batch = 5;
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 1);
        float[] dy = LayerCatalog.Random(batch * m, 2);
        var dx = new float[batch * n];
        dx.AsSpan().Fill(float.NaN); // Backward must overwrite the input gradient
        layer.Backward(x, dy, dx, batch);

        var tensors = DenseOracle.Read(layer, layer.Parameters);
        double[] w = DenseOracle.Weight(layer, tensors); // x moves, W does not: rebuild it once
        tensors.TryGetValue("bias", out double[]? bias);
        double[] xd = x.Select(v => (double)v).ToArray();
        var expected = new double[xd.Length];
        for (int i = 0; i < xd.Length; i++)
        {
            double keep = xd[i];
            xd[i] = keep + Step; double plus = Dot(DenseOracle.Forward(layer, w, bias, xd, batch), dy);
            xd[i] = keep - Step; double minus = Dot(DenseOracle.Forward(layer, w, bias, xd, batch), dy);
            xd[i] = keep;
            expected[i] = (plus - minus) / (2 * Step);
        }
        Tolerance.Close(expected, dx, 1e-3, $"{name} ∂x");
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Small), MemberType = typeof(LayerCatalog))]
    public void Parameter_gradients_match_finite_differences(string name)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        const int batch = 6;
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 3);
        float[] dy = LayerCatalog.Random(batch * m, 4);
        layer.ZeroGradients();
        layer.Gradients.Fill(0.25f);                   // Backward adds into Gradients…
        layer.Backward(x, dy, new float[batch * n], batch);
        float[] gradients = layer.Gradients.ToArray();
        for (int i = 0; i < gradients.Length; i++) gradients[i] -= 0.25f; // …so remove what was there

        double[] xd = x.Select(v => (double)v).ToArray();
        var tensors = DenseOracle.Read(layer, layer.Parameters);
        var rng = new Random(5);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            double[] values = tensors[tensor.Name];
            IEnumerable<int> coordinates = values.Length <= 48
                ? Enumerable.Range(0, values.Length)
                : Enumerable.Range(0, 48).Select(_ => rng.Next(values.Length)).Distinct();
            var expected = new List<double>();
            var actual = new List<float>();
            foreach (int c in coordinates)
            {
                double keep = values[c];
                values[c] = keep + Step; double plus = Loss(layer, tensors, xd, dy, batch);
                values[c] = keep - Step; double minus = Loss(layer, tensors, xd, dy, batch);
                values[c] = keep;
                expected.Add((plus - minus) / (2 * Step));
                actual.Add(gradients[tensor.Offset + c]);
            }
            Tolerance.Close(expected.ToArray(), actual.ToArray(), 1e-3, $"{name} ∂{tensor.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Small), MemberType = typeof(LayerCatalog))]
    public void Gradients_accumulate_across_calls_and_ZeroGradients_clears_them(string name)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(3 * n, 8), dy = LayerCatalog.Random(3 * m, 9);
        layer.ZeroGradients();
        layer.Backward(x, dy, new float[3 * n], 3);
        float[] once = layer.Gradients.ToArray();
        Assert.Contains(once, v => v != 0);
        layer.Backward(x, dy, new float[3 * n], 3);
        Tolerance.Close(once.Select(v => 2.0 * v).ToArray(), layer.Gradients, 1e-6, name);
        layer.ZeroGradients();
        Assert.All(layer.Gradients.ToArray(), v => Assert.Equal(0f, v));
    }

    private static double Loss(IStructuredLinear layer, Dictionary<string, double[]> tensors, double[] x, float[] dy, int batch)
        => Dot(DenseOracle.Forward(layer, tensors, x, batch), dy);

    private static double Dot(double[] y, float[] dy)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * dy[i];
        return sum;
    }
}
