using System;
using System.Linq;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

/// <summary>Forward and ToDense against W rebuilt in the test from the named tensors (STRUCTURES.md formulas).</summary>
public class ForwardTests
{
    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Forward_equals_x_times_dense_reconstruction_plus_bias(string name)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        var tensors = DenseOracle.Read(layer, layer.Parameters);
        double[] w = DenseOracle.Weight(layer, tensors);
        tensors.TryGetValue("bias", out double[]? bias);
        bool big = (long)layer.InFeatures * layer.OutFeatures > 1_000_000;
        foreach (int batch in big ? new[] { 1, 5 } : new[] { 1, 3, 4, 67, 130 })
        {
            float[] x = LayerCatalog.Random(batch * layer.InFeatures, batch);
            var y = new float[batch * layer.OutFeatures];
            layer.Forward(x, y, batch);
            double[] expected = DenseOracle.Forward(layer, w, bias, x.Select(v => (double)v).ToArray(), batch);
            Tolerance.Close(expected, y, 1e-5, $"{name} forward, batch {batch}");
        }
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void ToDense_equals_reconstruction_from_tensors(string name)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        double[] expected = DenseOracle.Weight(layer, DenseOracle.Read(layer, layer.Parameters));
        var weight = new float[layer.InFeatures * layer.OutFeatures];
        weight.AsSpan().Fill(float.NaN); // ToDense must write every element
        layer.ToDense(weight);
        Tolerance.Close(expected, weight, 1e-6, $"{name} ToDense");
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Batch_zero_is_a_no_op(string name)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        float[] before = layer.Gradients.ToArray();
        layer.Forward([], [], 0);
        layer.Backward([], [], [], 0);
        Assert.Equal(before, layer.Gradients.ToArray());
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Rows_are_independent_of_the_batch_they_come_in(string name)
    {
        // Tiling must not mix rows: row 66 of a 70-row batch equals the same row alone. Not bit for bit: a lone
        // row takes the dot-form product and a tile the packed axpy form, which sum in different orders (the
        // tolerance is float round-off over a few hundred terms; a mixed-up row would be off by O(1)).
        IStructuredLinear layer = LayerCatalog.Create(name);
        int batch = (long)layer.InFeatures * layer.OutFeatures > 1_000_000 ? 9 : 70, n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 11);
        var y = new float[batch * m];
        layer.Forward(x, y, batch);
        var single = new float[m];
        layer.Forward(x.AsSpan((batch - 1) * n, n), single, 1);
        Tolerance.Close(single.Select(v => (double)v).ToArray(), y.AsSpan((batch - 1) * m, m), 1e-5, name);
    }
}
