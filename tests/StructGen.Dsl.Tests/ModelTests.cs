using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StructGen.Dsl.Tests.Oracle;

namespace StructGen.Dsl.Tests;

/// <summary>
/// Models from .sgl files: forward against a double-precision reference written step by step (activations
/// included), backward against central finite differences of it, the torch.nn.Sequential keys, and
/// concurrent forward passes.
/// </summary>
public class ModelTests
{
    [Theory]
    [MemberData(nameof(ModelCatalog.Names), MemberType = typeof(ModelCatalog))]
    public void Tensors_are_keyed_as_torch_Sequential_keys_them(string name)
    {
        IStructuredModel model = ModelCatalog.All[name].Create();
        Assert.Equal(ModelCatalog.All[name].Tensors, model.Tensors.Select(t => t.Name).ToArray());
        int offset = 0;
        foreach (ParameterTensor tensor in model.Tensors)
        {
            Assert.Equal(offset, tensor.Offset);
            offset += tensor.Length;
        }
        Assert.Equal(offset, model.ParameterCount);
        Assert.Equal(offset, model.Parameters.Length);
        Assert.Equal(offset, model.Gradients.Length);
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Names), MemberType = typeof(ModelCatalog))]
    public void Forward_equals_the_reference(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        foreach (int batch in new[] { 1, 3, 4, 67, 130 })
        {
            float[] x = LayerCatalog.Random(batch * model.InFeatures, batch);
            var y = new float[batch * model.OutFeatures];
            y.AsSpan().Fill(float.NaN);
            model.Forward(x, y, batch);
            double[] expected = ModelCatalog.Reference(name, model, x.Select(v => (double)v).ToArray(), batch);
            Tolerance.Close(expected, y, 2e-5, $"{name} forward, batch {batch}");
        }
    }

    [Fact]
    public void A_fresh_model_is_initialized_as_torch_nn_Linear_and_deterministically()
    {
        var a = new Models.Mlp();
        var b = new Models.Mlp();
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        b.Initialize(1);
        Assert.NotEqual(a.Parameters.ToArray(), b.Parameters.ToArray());
        b.Initialize(0);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        // Biases are U(±1/√In) of their layer (In = 32 for both layers of Mlp).
        foreach (ParameterTensor bias in a.Tensors.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            Assert.All(bias.Slice(a.Parameters).ToArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(32)));
        }
        // A fresh adapter step starts as its base layer: lora_B is zero.
        var deep = new Models.Deep();
        Assert.All(deep.Tensors.Single(t => t.Name == "3.lora_B").Slice(deep.Parameters).ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Small), MemberType = typeof(ModelCatalog))]
    public void Input_gradient_matches_finite_differences(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        const int batch = 5;
        int n = model.InFeatures, m = model.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 1);
        float[] dy = LayerCatalog.Random(batch * m, 2);
        var dx = new float[batch * n];
        dx.AsSpan().Fill(float.NaN);
        model.Backward(x, dy, dx, batch);

        double[] expected = ModelGradientOracle.InputGradient(name, model, x, dy, batch);
        Tolerance.Close(expected, dx, 1e-3, $"{name} ∂x");
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Small), MemberType = typeof(ModelCatalog))]
    public void Parameter_gradients_match_finite_differences(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        const int batch = 6;
        int n = model.InFeatures, m = model.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 3);
        float[] dy = LayerCatalog.Random(batch * m, 4);
        model.ZeroGradients();
        model.Gradients.Fill(0.25f);
        model.Backward(x, dy, new float[batch * n], batch);
        float[] gradients = model.Gradients.ToArray();
        for (int i = 0; i < gradients.Length; i++) gradients[i] -= 0.25f;

        // Every coordinate of small tensors, 30 sampled ones of the others.
        ModelGradientOracle.CheckParameterGradients(name, model, x, dy, batch, gradients,
            (length, rng) => length <= 30 ? Enumerable.Range(0, length) : Enumerable.Range(0, 30).Select(_ => rng.Next(length)).Distinct(),
            seed: 5, name);
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Names), MemberType = typeof(ModelCatalog))]
    public void Gradients_accumulate_across_calls_and_ZeroGradients_clears_them(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        int n = model.InFeatures, m = model.OutFeatures;
        float[] x = LayerCatalog.Random(3 * n, 8), dy = LayerCatalog.Random(3 * m, 9);
        model.ZeroGradients();
        var dx1 = new float[3 * n];
        model.Backward(x, dy, dx1, 3);
        float[] once = model.Gradients.ToArray();
        Assert.True(once.Length == 0 || once.Any(v => v != 0));
        var dx2 = new float[3 * n];
        model.Backward(x, dy, dx2, 3);
        Assert.Equal(dx1, dx2);
        Tolerance.Close(once.Select(v => 2.0 * v).ToArray(), model.Gradients, 1e-6, name);
        model.ZeroGradients();
        Assert.All(model.Gradients.ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Names), MemberType = typeof(ModelCatalog))]
    public void Rows_are_independent_of_the_batch_they_come_in(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        const int batch = 70;
        int n = model.InFeatures, m = model.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 11);
        var y = new float[batch * m];
        model.Forward(x, y, batch);
        var single = new float[m];
        model.Forward(x.AsSpan((batch - 1) * n, n), single, 1);
        Tolerance.Close(single.Select(v => (double)v).ToArray(), y.AsSpan((batch - 1) * m, m), 1e-6, name);
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Names), MemberType = typeof(ModelCatalog))]
    public void Batch_zero_is_a_no_op_and_wrong_lengths_throw(string name)
    {
        IStructuredModel model = ModelCatalog.All[name].Create();
        model.Forward([], [], 0);
        model.Backward([], [], [], 0);
        Assert.All(model.Gradients.ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => model.Forward(new float[model.InFeatures], new float[model.OutFeatures + 1], 1));
        Assert.Throws<ArgumentException>(() => model.Backward(new float[model.InFeatures], new float[model.OutFeatures], new float[model.InFeatures - 1], 1));
    }

    [Fact]
    public void Concurrent_forward_passes_give_the_sequential_results()
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(nameof(Models.Mlp));
        const int batch = 37, threads = 8;
        float[][] inputs = Enumerable.Range(0, threads).Select(i => LayerCatalog.Random(batch * model.InFeatures, 100 + i)).ToArray();
        float[][] expected = inputs.Select(x => { var y = new float[batch * model.OutFeatures]; model.Forward(x, y, batch); return y; }).ToArray();
        float[][] actual = inputs.Select(_ => new float[batch * model.OutFeatures]).ToArray();
        Parallel.For(0, threads * 50, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            int i = k % threads;
            var y = new float[batch * model.OutFeatures];
            model.Forward(inputs[i], y, batch);
            Assert.Equal(expected[i], y);
        });
    }
}
