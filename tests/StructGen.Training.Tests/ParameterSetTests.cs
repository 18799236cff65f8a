using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Training.Tests;

/// <summary>How layers, models and raw buffers become parameter groups.</summary>
public class ParameterSetTests
{
    [Fact]
    public void A_layer_splits_into_decayed_weights_and_an_undecayed_bias()
    {
        var layer = new Monarch256();
        var set = new ParameterSet { layer };
        Assert.Equal(2, set.Count);
        Assert.True(set[0].WeightDecay);
        Assert.Equal(layer.ParameterCount - 256, set[0].Length);
        Assert.Contains("blkdiag1+blkdiag2", set[0].Name, StringComparison.Ordinal);
        Assert.False(set[1].WeightDecay);
        Assert.Equal(256, set[1].Length);
        Assert.Equal(layer.ParameterCount, set.TotalLength);
    }

    [Fact]
    public void DecayBiases_keeps_one_group()
    {
        var set = new ParameterSet().Add(new LowRank256(), decayBiases: true);
        ParameterGroup group = Assert.Single(set);
        Assert.True(group.WeightDecay);
    }

    [Fact]
    public void Groups_view_the_live_buffers()
    {
        var layer = new TinyHead();
        var set = new ParameterSet { layer };
        set[1].Parameters[0] = 42f;
        Assert.Equal(42f, layer.Parameters[layer.Tensors[^1].Offset]);
        layer.Gradients.Fill(1f);
        set.ZeroGradients();
        Assert.All(layer.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void AdamW_decays_weights_but_not_biases()
    {
        var layer = new TinyHead();
        float[] before = layer.Parameters.ToArray();
        layer.ZeroGradients();
        var adam = new AdamW(new ParameterSet { layer }, learningRate: 0.1, weightDecay: 0.5);
        adam.Step();
        int biasOffset = layer.Tensors[^1].Offset;
        for (int i = 0; i < before.Length; i++)
        {
            float expected = i < biasOffset ? before[i] * 0.95f : before[i];
            Assert.Equal(expected, layer.Parameters[i], 6);
        }
    }

    [Fact]
    public void A_trainable_model_is_split_by_its_tensors()
    {
        var model = new FakeModel();
        var set = new ParameterSet().Add(model);
        Assert.Equal([true, false, true, false], set.Select(g => g.WeightDecay));
        Assert.Equal([6, 2, 3, 1], set.Select(g => g.Length));
        set[2].Parameters.Fill(7f);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7, 0], model.Parameters.ToArray());
    }

    [Fact]
    public void A_model_without_tensors_is_one_decayed_group()
    {
        var model = new FakeModel(tensors: []);
        ParameterGroup group = Assert.Single(new ParameterSet().Add(model));
        Assert.True(group.WeightDecay);
        Assert.Equal(12, group.Length);
    }

    [Fact]
    public void Raw_buffers_must_have_equal_lengths()
    {
        Assert.Throws<ArgumentException>(() => new ParameterSet().Add("w", new float[3], new float[2]));
    }

    [Fact]
    public void Clipping_scales_all_gradients_together()
    {
        float[] a = [0f], ga = [3f], b = [0f, 0f], gb = [4f, 0f];
        var set = new ParameterSet().Add("a", a, ga).Add("b", b, gb);
        Assert.Equal(5.0, set.GradientNorm(), 6);
        Assert.Equal(5.0, set.ClipGradientNorm(1.0), 6);
        Assert.Equal(1.0, set.GradientNorm(), 5);
        Assert.Equal(0.6f, ga[0], 5);
        Assert.Equal(0.8f, gb[0], 5);
        set.ClipGradientNorm(2.0); // under the limit: unchanged
        Assert.Equal(0.6f, ga[0], 5);
    }

    [Fact]
    public void Optimizers_keep_the_groups_they_were_created_with()
    {
        var set = new ParameterSet().Add("a", new float[2], new float[2]);
        var sgd = new Sgd(set, 0.1);
        set.Add("b", new float[2], new float[2]);
        Assert.Single(sgd.Groups);
    }

    /// <summary>A stand-in for a DSL-generated model: two layers' tensors in one flat buffer.</summary>
    private sealed class FakeModel(IReadOnlyList<ParameterTensor>? tensors = null) : ITrainable
    {
        private readonly float[] _parameters = new float[12];
        private readonly float[] _gradients = new float[12];

        public Span<float> Parameters => _parameters;

        public Span<float> Gradients => _gradients;

        public IReadOnlyList<ParameterTensor> Tensors { get; } = tensors ??
        [
            new ParameterTensor("0.weight", 0, 2, 3),
            new ParameterTensor("0.bias", 6, 2),
            new ParameterTensor("2.A", 8, 3),
            new ParameterTensor("2.bias", 11, 1),
        ];

        public void ZeroGradients() => Array.Clear(_gradients);
    }
}
