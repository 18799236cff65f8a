using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

/// <summary>
/// Backward at batches that take the packed product paths (8 rows and more, a partial last block of 4, and more
/// than one tile: 150 rows are a 128-row tile and a partial one, or two 64-row tiles and a partial one), against
/// oracles independent of the kernels: <c>dx = dy·W</c> with W rebuilt in double precision, and central finite
/// differences of a double-precision forward for sampled parameter coordinates.
/// </summary>
public class PackedBackwardTests
{
    private const double Step = 1e-3;

    public static IEnumerable<object[]> Cases =>
        LayerCatalog.Moderate.SelectMany(name => new[] { 19, 70, 150 }.Select(batch => new object[] { name[0], batch }));

    /// <summary>Finite differences rebuild W per coordinate: layers up to 100,000 weights.</summary>
    public static IEnumerable<object[]> SmallCases =>
        LayerCatalog.All.Where(kv => { var l = kv.Value(); return (long)l.InFeatures * l.OutFeatures <= 100_000; })
            .SelectMany(kv => new[] { 19, 70, 150 }.Select(batch => new object[] { kv.Key, batch }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_gradient_equals_dy_times_the_dense_weight(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 21);
        float[] dy = LayerCatalog.Random(batch * m, 22);
        var dx = new float[batch * n];
        dx.AsSpan().Fill(float.NaN);
        layer.Backward(x, dy, dx, batch);

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
        Tolerance.Close(expected, dx, 1e-4, $"{name} ∂x, batch {batch}");
    }

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Parameter_gradients_match_finite_differences(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 23);
        float[] dy = LayerCatalog.Random(batch * m, 24);
        layer.ZeroGradients();
        layer.Backward(x, dy, new float[batch * n], batch);
        float[] gradients = layer.Gradients.ToArray();

        double[] xd = x.Select(v => (double)v).ToArray();
        var tensors = DenseOracle.Read(layer, layer.Parameters);
        var rng = new Random(25);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            double[] values = tensors[tensor.Name];
            // The last coordinate too: tails of the register blocks sit at the ends of rows.
            int[] coordinates = Enumerable.Range(0, 12).Select(_ => rng.Next(values.Length)).Append(values.Length - 1).Distinct().ToArray();
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
            Tolerance.Close(expected, actual, 1e-3, $"{name} ∂{tensor.Name}, batch {batch}");
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
