using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Dsl.Tests.Oracle;

namespace StructGen.Dsl.Tests;

/// <summary>
/// The models' training pair: <c>Forward(…, saved)</c> keeps every step output the backward reads and the
/// layer steps' intermediates; <c>Backward(…, saved)</c> reads them instead of running the forward again. The
/// output must be the plain forward's bits, and the gradients must match finite differences of the
/// double-precision step-by-step reference (as the recomputing backward's do in <see cref="ModelTests"/>).
/// </summary>
public class ModelSavedTests
{
    [Fact]
    public void SavedPerRow_adds_up_the_stored_step_outputs_and_the_layer_intermediates()
    {
        // Mlp: monarch(blocks: 4) → 32; gelu; lowrank(r: 4) → 10. Stored outputs: steps 0 and 1 (32 each);
        // the Monarch step keeps its 32 inner features plus 16 floats of row padding, the low-rank step its 4.
        Assert.Equal(32 + 32 + 48 + 4, new Models.Mlp().SavedPerRow);
        // Squash: dense → 8; tanh. Step 0's output and the model's own (tanh differentiates from its output).
        Assert.Equal(8 + 8, new Models.Squash().SavedPerRow);
        // A lone activation reads only the model's input and output; sigmoid's backward reads the output.
        Assert.Equal(5, new Models.OnlySigmoid().SavedPerRow);
        // Deep: relu; Small; tanh; dense + lowrank(r: 2) → 20; sigmoid; dense → 6. Stored outputs: steps 0 … 4
        // (12, 16, 16, 20, 20); the adapter step keeps its scaled h (2).
        Assert.Equal(12 + 16 + 16 + 20 + 20 + 2, new Models.Deep().SavedPerRow);
        // ChainStep: one chain step Small → 16 → lowrank(r: 3) → 24 → dense → 16, then relu. The chain keeps its inner
        // activations (16 and 24) and its low-rank factor's h (3); the model stores the chain's output (16) and its own
        // (16: the relu that ends it differentiates from its output).
        Assert.Equal(16 + 16 + 16 + 24 + 3, new Models.ChainStep().SavedPerRow);
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Names), MemberType = typeof(ModelCatalog))]
    public void Training_forward_gives_the_plain_forward_bits(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        foreach (int batch in new[] { 1, 5, 70, 130 })
        {
            float[] x = LayerCatalog.Random(batch * model.InFeatures, batch + 50);
            var plain = new float[batch * model.OutFeatures];
            var training = new float[batch * model.OutFeatures];
            model.Forward(x, plain, batch);
            model.Forward(x, training, batch, new float[batch * model.SavedPerRow]);
            Assert.Equal(plain, training);
        }
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Small), MemberType = typeof(ModelCatalog))]
    public void Training_backward_input_gradient_matches_finite_differences(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        const int batch = 5;
        int n = model.InFeatures, m = model.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 61);
        float[] dy = LayerCatalog.Random(batch * m, 62);
        var saved = new float[batch * model.SavedPerRow];
        model.Forward(x, new float[batch * m], batch, saved);
        var dx = new float[batch * n];
        dx.AsSpan().Fill(float.NaN);
        model.Backward(x, dy, dx, batch, saved);

        double[] expected = ModelGradientOracle.InputGradient(name, model, x, dy, batch);
        Tolerance.Close(expected, dx, 1e-3, $"{name} ∂x from saved");
    }

    [Theory]
    [MemberData(nameof(ModelCatalog.Small), MemberType = typeof(ModelCatalog))]
    public void Training_backward_parameter_gradients_match_finite_differences(string name)
    {
        IStructuredModel model = ModelCatalog.CreateRandomized(name);
        const int batch = 70; // packed product paths, register-block tails
        int n = model.InFeatures, m = model.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 63);
        float[] dy = LayerCatalog.Random(batch * m, 64);
        var saved = new float[batch * model.SavedPerRow];
        model.Forward(x, new float[batch * m], batch, saved);
        model.ZeroGradients();
        model.Backward(x, dy, new float[batch * n], batch, saved);
        float[] gradients = model.Gradients.ToArray();

        // 12 sampled coordinates of every tensor and its last one.
        ModelGradientOracle.CheckParameterGradients(name, model, x, dy, batch, gradients,
            (length, rng) => Enumerable.Range(0, 12).Select(_ => rng.Next(length)).Append(length - 1).Distinct(),
            seed: 65, $"{name} from saved");
    }

    [Fact]
    public void Backward_reads_the_saved_outputs_instead_of_recomputing_them()
    {
        // With every saved value zero, the last layer's input (step 1's output) and the low-rank h are zero,
        // so the gradient of 2.B (dyᵀ·h) is zero: the backward read saved. The recomputing backward's is not.
        IStructuredModel model = ModelCatalog.CreateRandomized(nameof(Models.Mlp));
        const int batch = 7;
        float[] x = LayerCatalog.Random(batch * model.InFeatures, 66), dy = LayerCatalog.Random(batch * model.OutFeatures, 67);
        ParameterTensor b = model.Tensors.Single(t => t.Name == "2.B");
        model.ZeroGradients();
        model.Backward(x, dy, new float[batch * model.InFeatures], batch, new float[batch * model.SavedPerRow]);
        Assert.All(b.Slice(model.Gradients).ToArray(), v => Assert.Equal(0f, v));
        model.ZeroGradients();
        model.Backward(x, dy, new float[batch * model.InFeatures], batch);
        Assert.Contains(b.Slice(model.Gradients).ToArray(), v => v != 0);
    }

    [Fact]
    public void A_saved_buffer_of_the_wrong_length_is_refused()
    {
        var model = new Models.Mlp();
        var ex = Assert.Throws<ArgumentException>(() => model.Forward(new float[2 * 32], new float[2 * 10], 2, new float[3]));
        Assert.Equal("saved", ex.ParamName);
        Assert.Contains("SavedPerRow", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.Backward(new float[2 * 32], new float[2 * 10], new float[2 * 32], 2, new float[3]));
    }
}
