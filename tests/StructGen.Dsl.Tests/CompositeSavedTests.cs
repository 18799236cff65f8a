using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Dsl.Tests.Attributes;
using StructGen.Dsl.Tests.Layers;
using StructGen.Dsl.Tests.Oracle;

namespace StructGen.Dsl.Tests;

/// <summary>
/// The training pair of composite layers. A sum keeps its terms' intermediates, a chain its inner activations and its
/// factors' intermediates, each in a range of columns of the saved rows; the training backward copies them back instead
/// of recomputing (a chain's runs no forward at all). Checked like the primitives' pair: the training forward gives the
/// plain forward's bits, the training backward's input gradient matches <c>dy·W</c> with <c>W</c> rebuilt in double from
/// the tensors, its parameter gradients match central finite differences, at batches whose forward and backward tiles
/// split differently.
/// </summary>
public class CompositeSavedTests
{
    public static IEnumerable<object[]> Cases =>
        LayerCatalog.All.Keys.SelectMany(name => new[] { 1, 5, 70, 150 }.Select(batch => new object[] { name, batch }));

    public static IEnumerable<object[]> SmallCases =>
        LayerCatalog.Small.SelectMany(name => new[] { 5, 70 }.Select(batch => new object[] { name[0], batch }));

    [Theory]
    [InlineData(nameof(SumMonarchLowRank), 64 + 8)]   // the Monarch term's v (Inner = 64) and the low-rank term's h
    [InlineData(nameof(SumOfThree), 3 * 9)]           // kronecker(5x3, 9x10): T = X·w2ᵀ, In1·Out2; block diagonal and dense keep nothing
    [InlineData(nameof(SumOfLowRanks), 3 + 5)]
    [InlineData(nameof(Adapter), 4)]                  // h = (alpha/R)·x·lora_Aᵀ
    [InlineData(nameof(ChainLowRankDense), 32 + 4)]   // h0, then factor 0's h
    [InlineData(nameof(AdapterInChain), 8 + 2 + 2 * 2)] // h0, the adapter's h, the Kronecker factor's T (In1·Out2 = 2·2)
    [InlineData(nameof(ChainInSum), 2 * 4)]           // the BLAST term's z; the chain inside the sum recomputes
    [InlineData(nameof(SumInChain), 10 + 5)]          // h0 and the low-rank factor's h; the sum inside the chain recomputes
    [InlineData(nameof(VerbatimSum), 0)]              // block diagonal + dense: nothing worth keeping
    public void SavedPerRow_is_the_sum_of_what_the_operands_keep(string name, int expected)
        => Assert.Equal(expected, LayerCatalog.All[name].Create().SavedPerRow);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_forward_gives_the_plain_forward_bits(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        float[] x = LayerCatalog.Random(batch * layer.InFeatures, 31);
        var plain = new float[batch * layer.OutFeatures];
        var training = new float[batch * layer.OutFeatures];
        var saved = new float[batch * layer.SavedPerRow];
        saved.AsSpan().Fill(float.NaN);
        layer.Forward(x, plain, batch);
        layer.Forward(x, training, batch, saved);
        Assert.Equal(plain, training);
        if (layer.Tensors.Any(t => t.Name == "blkdiag1"))
        {
            Assert.Contains(saved, v => !float.IsNaN(v)); // a Monarch layer keeps v with its scratch stride and leaves the padding alone
        }
        else
        {
            Assert.DoesNotContain(saved, float.IsNaN);    // a composite writes every column of every row
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_backward_input_gradient_is_dy_times_the_rebuilt_weight(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 32);
        float[] dy = LayerCatalog.Random(batch * m, 33);
        var saved = new float[batch * layer.SavedPerRow];
        layer.Forward(x, new float[batch * m], batch, saved);
        var dx = new float[batch * n];
        dx.AsSpan().Fill(float.NaN);
        layer.Backward(x, dy, dx, batch, saved);
        Tolerance.Close(LayerGradientOracle.InputGradientExact(name, layer, dy, batch), dx, 1e-4, $"{name} ∂x (batch {batch})");
    }

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Training_backward_parameter_gradients_match_finite_differences(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 34);
        float[] dy = LayerCatalog.Random(batch * m, 35);
        var saved = new float[batch * layer.SavedPerRow];
        layer.Forward(x, new float[batch * m], batch, saved);
        layer.ZeroGradients();
        layer.Backward(x, dy, new float[batch * n], batch, saved);
        float[] gradients = layer.Gradients.ToArray();
        LayerGradientOracle.CheckParameterGradients(name, layer, gradients, x, dy, batch, coordinates: 24, seed: 7, $"{name} (batch {batch})");
    }

    [Theory]
    [InlineData(nameof(ChainLowRankDense), "1.weight")]  // ∂weight = dyᵀ·h0: the inner activation comes from saved
    [InlineData(nameof(Adapter), "lora_B")]             // ∂lora_B = dyᵀ·h
    [InlineData(nameof(SumOfLowRanks), "1.B")]          // ∂B = dyᵀ·h of the second term (columns 3 … 7)
    public void Backward_reads_what_it_is_given_instead_of_recomputing(string name, string tensorFedBySaved)
    {
        // A zero saved row zeroes the gradient of the tensor it feeds: proof that the backward read it.
        IStructuredLinear layer = LayerCatalog.CreateRandomized(name);
        const int batch = 70;
        int n = layer.InFeatures, m = layer.OutFeatures;
        layer.ZeroGradients();
        layer.Backward(LayerCatalog.Random(batch * n, 36), LayerCatalog.Random(batch * m, 37), new float[batch * n], batch, new float[batch * layer.SavedPerRow]);
        ParameterTensor fed = layer.Tensors.Single(t => t.Name == tensorFedBySaved);
        Assert.All(layer.Gradients.Slice(fed.Offset, fed.Length).ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(layer.Gradients.ToArray(), g => g != 0f); // the others are not
    }

    [Fact]
    public void Two_threads_keep_and_read_the_same_rows_as_one()
    {
        // Chunks of whole tiles on two threads: each writes and reads its own rows of saved.
        const int batch = 300;
        IStructuredLinear one = new ChainOfThree();
        IStructuredLinear two = new ChainOfThree { ThreadCount = 2 };
        LayerCatalog.Randomize(one.Parameters, 17, 0.5f);
        LayerCatalog.Randomize(two.Parameters, 17, 0.5f);
        int n = one.InFeatures, m = one.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 38), dy = LayerCatalog.Random(batch * m, 39);
        var saved1 = new float[batch * one.SavedPerRow];
        var saved2 = new float[batch * two.SavedPerRow];
        var y1 = new float[batch * m];
        var y2 = new float[batch * m];
        one.Forward(x, y1, batch, saved1);
        two.Forward(x, y2, batch, saved2);
        Assert.Equal(y1, y2);
        Assert.Equal(saved1, saved2);
        var dx1 = new float[batch * n];
        var dx2 = new float[batch * n];
        one.Backward(x, dy, dx1, batch, saved1);
        two.Backward(x, dy, dx2, batch, saved2);
        Assert.Equal(dx1, dx2);
        Tolerance.Close(LayerGradientOracle.InputGradientExact(nameof(ChainOfThree), two, dy, batch), dx2, 1e-4, "ChainOfThree ∂x, two threads");
    }

}
