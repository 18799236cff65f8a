using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Dsl.Tests.Oracle;

namespace StructGen.Dsl.Tests;

/// <summary>
/// Sums, adapters and chains (from .sgl files and [StructuredLinear]): forward and ToDense against the weight
/// rebuilt in the test from the named tensors, backward against central finite differences of a
/// double-precision reference of the loss <c>L = Σ dy ⊙ y</c>.
/// </summary>
public class LayerTests
{
    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Tensors_are_named_and_laid_out_as_the_DSL_documents(string name)
    {
        IStructuredLinear layer = LayerCatalog.All[name].Create();
        Assert.Equal(LayerCatalog.All[name].Tensors, layer.Tensors.Select(t => t.Name).ToArray());
        int offset = 0;
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            Assert.Equal(offset, tensor.Offset);
            offset += tensor.Length;
        }
        Assert.Equal(offset, layer.ParameterCount);
        Assert.Equal(offset, layer.Parameters.Length);
        Assert.Equal(offset, layer.Gradients.Length);
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Forward_equals_x_times_the_rebuilt_weight_plus_bias(string name)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        var tensors = new TensorSet(layer.Tensors, layer.Parameters);
        Matrix w = LayerCatalog.All[name].Weight(tensors);
        Assert.Equal((layer.OutFeatures, layer.InFeatures), (w.Rows, w.Columns));
        double[]? bias = tensors.Contains("bias") ? tensors["bias"] : null;
        bool big = (long)layer.InFeatures * layer.OutFeatures > 100_000;
        foreach (int batch in big ? new[] { 1, 5 } : new[] { 1, 3, 4, 67, 130 })
        {
            float[] x = LayerCatalog.Random(batch * layer.InFeatures, batch);
            var y = new float[batch * layer.OutFeatures];
            y.AsSpan().Fill(float.NaN); // Forward must overwrite the output
            layer.Forward(x, y, batch);
            double[] expected = w.Apply(x.Select(v => (double)v).ToArray(), batch, bias);
            Tolerance.Close(expected, y, 2e-5, $"{name} forward, batch {batch}");
        }
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void ToDense_equals_the_weight_rebuilt_from_the_tensors(string name)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        Matrix expected = LayerCatalog.All[name].Weight(new TensorSet(layer.Tensors, layer.Parameters));
        var weight = new float[layer.InFeatures * layer.OutFeatures];
        weight.AsSpan().Fill(float.NaN); // ToDense must write every element
        layer.ToDense(weight);
        Tolerance.Close(expected.Data, weight, 1e-5, $"{name} ToDense");
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Small), MemberType = typeof(LayerCatalog))]
    public void Input_gradient_matches_finite_differences(string name)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        const int batch = 5;
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 1);
        float[] dy = LayerCatalog.Random(batch * m, 2);
        var dx = new float[batch * n];
        dx.AsSpan().Fill(float.NaN); // Backward must overwrite the input gradient
        layer.Backward(x, dy, dx, batch);
        double[] expected = LayerGradientOracle.InputGradient(name, layer, x, dy, batch);
        Tolerance.Close(expected, dx, 1e-3, $"{name} ∂x");
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Small), MemberType = typeof(LayerCatalog))]
    public void Parameter_gradients_match_finite_differences(string name)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        const int batch = 6;
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 3);
        float[] dy = LayerCatalog.Random(batch * m, 4);
        layer.ZeroGradients();
        layer.Gradients.Fill(0.25f);                   // Backward adds into Gradients…
        layer.Backward(x, dy, new float[batch * n], batch);
        float[] gradients = layer.Gradients.ToArray();
        for (int i = 0; i < gradients.Length; i++) gradients[i] -= 0.25f; // …so remove what was there
        LayerGradientOracle.CheckParameterGradients(name, layer, gradients, x, dy, batch, coordinates: 40, seed: 5, name);
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Small), MemberType = typeof(LayerCatalog))]
    public void Gradients_accumulate_across_calls_and_ZeroGradients_clears_them(string name)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
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

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Rows_are_independent_of_the_batch_they_come_in(string name)
    {
        // Tiling must not mix rows: the last row of a 70-row batch equals the same row alone.
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        int batch = (long)layer.InFeatures * layer.OutFeatures > 100_000 ? 9 : 70, n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 11);
        var y = new float[batch * m];
        layer.Forward(x, y, batch);
        var single = new float[m];
        layer.Forward(x.AsSpan((batch - 1) * n, n), single, 1);
        Tolerance.Close(single.Select(v => (double)v).ToArray(), y.AsSpan((batch - 1) * m, m), 1e-6, name);
    }

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Batch_zero_is_a_no_op(string name)
    {
        IStructuredLinear layer = LayerCatalog.All[name].Create();
        float[] before = layer.Gradients.ToArray();
        layer.Forward([], [], 0);
        layer.Backward([], [], [], 0);
        Assert.Equal(before, layer.Gradients.ToArray());
    }

    [Theory]
    [InlineData(nameof(Layers.Adapter))]
    [InlineData(nameof(Layers.AdapterScaled))]
    [InlineData(nameof(Layers.LoRA768))]
    public void A_fresh_adapter_computes_exactly_its_base_layer(string name)
    {
        // PEFT initializes lora_B to zero, so the update contributes nothing until training moves it.
        IStructuredLinear layer = LayerCatalog.All[name].Create();
        ParameterTensor loraB = layer.Tensors.Single(t => t.Name == "lora_B");
        Assert.All(loraB.Slice(layer.Parameters).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(layer.Tensors.Single(t => t.Name == "lora_A").Slice(layer.Parameters).ToArray(), v => v != 0);
        var tensors = new TensorSet(layer.Tensors, layer.Parameters);
        const int batch = 3;
        float[] x = LayerCatalog.Random(batch * layer.InFeatures, 12);
        var y = new float[batch * layer.OutFeatures];
        layer.Forward(x, y, batch);
        Tolerance.Close(DenseWeight.Dense(tensors).Apply(x.Select(v => (double)v).ToArray(), batch, tensors["bias"]), y, 1e-5, name);
    }

    [Fact]
    public void The_same_declaration_inline_and_in_a_file_computes_the_same_layer()
    {
        // [StructuredLinear("dense + lowrank(r: 8)", In = 768, Out = 768)] and `layer LoRA768 : 768 -> 768 = dense + lowrank(r: 8);`
        IStructuredLinear inline = new Attributes.Adapter768(), file = new Layers.LoRA768();
        Assert.Equal(inline.Tensors.Select(t => t.ToString()), file.Tensors.Select(t => t.ToString()));
        Assert.Equal(inline.Parameters.ToArray(), file.Parameters.ToArray());
        Assert.Equal(inline.ForwardFlopsPerRow, file.ForwardFlopsPerRow);
        Assert.Equal(2L * 768 * 768 + 2L * 8 * (768 + 768) + 8 + 768, file.ForwardFlopsPerRow);
    }
}
