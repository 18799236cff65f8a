using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

/// <summary>
/// The training pair: <c>Forward(input, output, batch, saved)</c> keeps the intermediate that
/// <c>Backward(input, dy, dx, batch, saved)</c> then reads instead of recomputing. The forward output must be the
/// plain forward's bits; the backward is checked against the same independent oracles as the recomputing one
/// (<c>dx = dy·W</c> with W rebuilt in double precision, central finite differences for parameters), at batches
/// whose forward and backward tiles split differently (1, 5, 70 and 150 rows).
/// </summary>
public class SavedIntermediateTests
{
    public static IEnumerable<object[]> Cases =>
        LayerCatalog.Moderate.SelectMany(name => new[] { 1, 5, 70, 150 }.Select(batch => new object[] { name[0], batch }));

    /// <summary>Finite differences rebuild W per coordinate: layers up to 100,000 weights.</summary>
    public static IEnumerable<object[]> SmallCases =>
        LayerCatalog.All.Where(kv => { var l = kv.Value(); return (long)l.InFeatures * l.OutFeatures <= 100_000; })
            .SelectMany(kv => new[] { 5, 150 }.Select(batch => new object[] { kv.Key, batch }));

    [Theory]
    [InlineData(nameof(LowRank100x300), 8)]        // h = x·Aᵀ: r floats
    [InlineData(nameof(Kron12x35), 3 * 7)]         // T = X·w2ᵀ: In1·Out2 (w1 is 5 × 3, w2 is 7 × 4)
    [InlineData(nameof(BlastGrid), 5 * 6)]         // z: column blocks · r
    [InlineData(nameof(Dense37x29), 0)]            // the backward needs only the input
    [InlineData(nameof(BlockDiag30x45), 0)]
    public void SavedPerRow_is_the_width_of_the_kept_intermediate(string name, int expected)
        => Assert.Equal(expected, LayerCatalog.Create(name).SavedPerRow);

    [Fact]
    public void Monarch_keeps_its_permuted_first_factor_output_with_the_scratch_row_stride()
    {
        // Inner = 64, plus one cache line (16 floats) of padding per row.
        Assert.Equal(64 + 16, new Monarch64().SavedPerRow);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_forward_gives_the_plain_forward_bits(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        float[] x = LayerCatalog.Random(batch * layer.InFeatures, 31);
        var plain = new float[batch * layer.OutFeatures];
        var training = new float[batch * layer.OutFeatures];
        var saved = new float[batch * layer.SavedPerRow];
        saved.AsSpan().Fill(float.NaN);
        layer.Forward(x, plain, batch);
        layer.Forward(x, training, batch, saved);
        Assert.Equal(plain, training);
        if (saved.Length > 0)
        {
            // Written (Monarch leaves its rows' padding alone; the backward tests check that what is read is right).
            Assert.Contains(saved, v => !float.IsNaN(v));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_backward_input_gradient_equals_dy_times_the_dense_weight(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 32);
        float[] dy = LayerCatalog.Random(batch * m, 33);
        var saved = new float[batch * layer.SavedPerRow];
        layer.Forward(x, new float[batch * m], batch, saved);
        var dx = new float[batch * n];
        dx.AsSpan().Fill(float.NaN);
        layer.Backward(x, dy, dx, batch, saved);

        double[] expected = GradientOracle.InputGradient(layer, dy, batch);
        Tolerance.Close(expected, dx, 1e-4, $"{name} ∂x from saved, batch {batch}");
    }

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Training_backward_parameter_gradients_match_finite_differences(string name, int batch)
    {
        IStructuredLinear layer = LayerCatalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 34);
        float[] dy = LayerCatalog.Random(batch * m, 35);
        var saved = new float[batch * layer.SavedPerRow];
        layer.Forward(x, new float[batch * m], batch, saved);
        layer.ZeroGradients();
        layer.Backward(x, dy, new float[batch * n], batch, saved);
        float[] gradients = layer.Gradients.ToArray();

        GradientOracle.CheckParameterGradients(layer, x, dy, batch, gradients, samples: 10, seed: 36, $"{name} from saved, batch {batch}");
    }

    [Theory]
    [InlineData(nameof(FfnDown))]
    [InlineData(nameof(FfnUp))]
    [InlineData(nameof(Mixer))]
    [InlineData(nameof(Attn))]
    public void Two_threads_save_and_read_each_chunk_of_rows_at_its_own_place(string name)
    {
        const int batch = 300; // several tiles, split over two chunks
        IStructuredLinear one = LayerCatalog.Create(name), two = TwoThreads(name);
        int n = one.InFeatures, m = one.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 37), dy = LayerCatalog.Random(batch * m, 38);
        var saved1 = new float[batch * one.SavedPerRow];
        var saved2 = new float[batch * two.SavedPerRow];
        var y1 = new float[batch * m];
        var y2 = new float[batch * m];
        one.Forward(x, y1, batch, saved1);
        two.Forward(x, y2, batch, saved2);
        Assert.Equal(y1, y2);

        var dx1 = new float[batch * n];
        var dx2 = new float[batch * n];
        one.ZeroGradients();
        two.ZeroGradients();
        one.Backward(x, dy, dx1, batch);          // recomputing, one thread
        two.Backward(x, dy, dx2, batch, saved2);  // saved, two threads
        Tolerance.Close(GradientOracle.InputGradient(two, dy, batch), dx2, 1e-4, $"{name} ∂x");
        // Parameter gradients: finite differences over these layers' millions of weights would take minutes, so the
        // two-thread saved pass is held to the one-thread recomputing pass (a different path through the same products).
        Tolerance.Close(one.Gradients.ToArray().Select(v => (double)v).ToArray(), two.Gradients, 1e-5, $"{name} parameter gradients");
    }

    [Theory]
    [InlineData(nameof(LowRank100x300), "B")]        // ∂B = dyᵀ·h
    [InlineData(nameof(Kron12x35), "w1")]            // ∂w1 = Σ dY·Tᵀ
    [InlineData(nameof(BlastGrid), "B")]             // ∂B = dyᵀ·h, h from the coupling of z
    [InlineData(nameof(Monarch36x100), "blkdiag2")]  // ∂blkdiag2 = dzᵀ·v
    public void Backward_reads_what_it_is_given_instead_of_recomputing(string name, string tensorFedBySaved)
    {
        // A zero intermediate zeroes the gradient of the factor it feeds: proof that the backward read it.
        IStructuredLinear layer = LayerCatalog.Create(name);
        const int batch = 9;
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 40), dy = LayerCatalog.Random(batch * m, 41);
        layer.ZeroGradients();
        layer.Backward(x, dy, new float[batch * n], batch, new float[batch * layer.SavedPerRow]);
        ParameterTensor fed = layer.Tensors.Single(t => t.Name == tensorFedBySaved);
        Assert.All(layer.Gradients.Slice(fed.Offset, fed.Length).ToArray(), v => Assert.Equal(0f, v));
        layer.ZeroGradients();
        layer.Backward(x, dy, new float[batch * n], batch);
        Assert.Contains(layer.Gradients.Slice(fed.Offset, fed.Length).ToArray(), v => v != 0);
    }

    [Fact]
    public void A_saved_buffer_of_the_wrong_length_is_refused_with_the_size_it_needs()
    {
        var layer = new LowRank100x300();
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new float[2 * 100], new float[2 * 300], 2, new float[15]));
        Assert.Equal("saved", ex.ParamName);
        Assert.Contains("2·8 = 16", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SavedPerRow", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => layer.Backward(new float[2 * 100], new float[2 * 300], new float[2 * 100], 2, new float[17]));
        Assert.Equal("saved", ex.ParamName);
    }

    [Fact]
    public void A_layer_that_keeps_nothing_accepts_only_an_empty_saved_buffer()
    {
        var layer = new Dense37x29();
        float[] x = LayerCatalog.Random(3 * 37, 39);
        var y = new float[3 * 29];
        layer.Forward(x, y, 3, Span<float>.Empty);
        var plain = new float[3 * 29];
        layer.Forward(x, plain, 3);
        Assert.Equal(plain, y);
        Assert.Throws<ArgumentException>(() => layer.Forward(x, y, 3, new float[3]));
    }

    [Fact]
    public void Saved_must_not_overlap_the_buffers_the_call_writes_or_reads()
    {
        var layer = new LowRank100x300();
        var buffer = new float[2 * 100 + 2 * 300];
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(buffer.AsSpan(0, 200), buffer.AsSpan(200, 600), 2, buffer.AsSpan(100, 16)));
        Assert.Contains("overlap", ex.Message, StringComparison.Ordinal);
        var dx = new float[200];
        ex = Assert.Throws<ArgumentException>(() => layer.Backward(new float[200], new float[600], dx, 2, dx.AsSpan(0, 16)));
        Assert.Contains("overlap", ex.Message, StringComparison.Ordinal);
    }

    private static IStructuredLinear TwoThreads(string name) => name switch
    {
        nameof(FfnDown) => new FfnDown { ThreadCount = 2 },
        nameof(FfnUp) => new FfnUp { ThreadCount = 2 },
        nameof(Mixer) => new Mixer { ThreadCount = 2 },
        nameof(Attn) => new Attn { ThreadCount = 2 },
        _ => throw new ArgumentException(name),
    };
}
