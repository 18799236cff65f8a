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

        double[] expected = GradientOracle.InputGradient(layer, dy, batch);
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

        GradientOracle.CheckParameterGradients(layer, x, dy, batch, gradients, samples: 12, seed: 25, $"{name}, batch {batch}");
    }
}
