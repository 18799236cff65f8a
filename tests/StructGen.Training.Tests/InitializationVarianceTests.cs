using System;
using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace StructGen.Training.Tests;

/// <summary>
/// docs/initialization.md, measured: every structure's initialization gives a layer whose output variance
/// over unit-variance inputs is that of a <c>torch.nn.Linear</c>-initialized dense layer of the same shape
/// (<c>1/3</c>), within ±20 %.
/// </summary>
public class InitializationVarianceTests(ITestOutputHelper output)
{
    private const int Batch = 256;
    private const int Seeds = 4;

    private static readonly ConcurrentDictionary<(int In, int Out), double> s_denseVariance = new();

    public static TheoryData<string> Structured => new()
    {
        nameof(Monarch256), nameof(LowRank256), nameof(Kronecker256), nameof(Blast256), nameof(BlockDiagonal256),
        nameof(Monarch128x512), nameof(LowRank128x512), nameof(Kronecker128x512), nameof(Blast128x512),
        nameof(Monarch512x128), nameof(LowRank512x128), nameof(BlockDiagonal512x128),
        nameof(Monarch784), nameof(LowRank784), nameof(MonarchPadded100),
    };

    [Theory]
    [MemberData(nameof(Structured))]
    public void Output_variance_matches_a_dense_layer_of_the_same_shape(string name)
    {
        IStructuredLinear layer = Create(name);
        double structured = OutputVariance(layer);
        // Several structured layers share a shape: measure each dense reference once.
        double reference = s_denseVariance.GetOrAdd((layer.InFeatures, layer.OutFeatures), shape => OutputVariance(DenseOfShape(shape.In, shape.Out)));
        double ratio = structured / reference;
        output.WriteLine($"{name}: {layer.InFeatures} → {layer.OutFeatures}, output variance {structured:F4}, dense {reference:F4}, ratio {ratio:F3}");
        Assert.True(Math.Abs(ratio - 1) <= 0.2,
            $"{name}: output variance {structured:F4}, dense {reference:F4} (ratio {ratio:F3}, allowed 0.8–1.2)");
    }

    [Theory]
    [InlineData(nameof(Dense256))]
    [InlineData(nameof(Dense128x512))]
    [InlineData(nameof(Dense512x128))]
    [InlineData(nameof(Dense784))]
    public void Dense_layers_have_torch_linear_output_variance(string name)
    {
        // U(±1/√In) weights: In · 1/(3·In) = 1/3 per output, whatever the shape.
        double variance = OutputVariance(Create(name));
        output.WriteLine($"{name}: output variance {variance:F4} (1/3 = 0.3333)");
        Assert.InRange(variance, 1 / 3.0 * 0.9, 1 / 3.0 * 1.1);
    }

    /// <summary>
    /// Mean over output units of each unit's variance over a batch of standard normal inputs (the bias, a
    /// constant per unit, drops out), averaged over several initialization seeds.
    /// </summary>
    private static double OutputVariance(IStructuredLinear layer)
    {
        int n = layer.InFeatures, m = layer.OutFeatures;
        var x = new float[Batch * n];
        var y = new float[Batch * m];
        var rng = new Random(1234);
        double total = 0;
        for (int seed = 1; seed <= Seeds; seed++)
        {
            layer.Initialize(seed);
            for (int i = 0; i < x.Length; i++) x[i] = Gaussian(rng);
            layer.Forward(x, y, Batch);
            double sum = 0;
            for (int j = 0; j < m; j++)
            {
                double mean = 0, square = 0;
                for (int b = 0; b < Batch; b++) mean += y[b * m + j];
                mean /= Batch;
                for (int b = 0; b < Batch; b++)
                {
                    double d = y[b * m + j] - mean;
                    square += d * d;
                }
                sum += square / (Batch - 1);
            }
            total += sum / m;
        }
        return total / Seeds;
    }

    private static float Gaussian(Random rng)
    {
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
    }

    private static IStructuredLinear DenseOfShape(int inFeatures, int outFeatures) => (inFeatures, outFeatures) switch
    {
        (256, 256) => new Dense256(),
        (128, 512) => new Dense128x512(),
        (512, 128) => new Dense512x128(),
        (784, 784) => new Dense784(),
        (100, 100) => new Dense100(),
        _ => throw new ArgumentException($"No dense layer declared for {inFeatures} → {outFeatures}."),
    };

    private static IStructuredLinear Create(string name) => name switch
    {
        nameof(Dense256) => new Dense256(),
        nameof(Monarch256) => new Monarch256(),
        nameof(LowRank256) => new LowRank256(),
        nameof(Kronecker256) => new Kronecker256(),
        nameof(Blast256) => new Blast256(),
        nameof(BlockDiagonal256) => new BlockDiagonal256(),
        nameof(Dense128x512) => new Dense128x512(),
        nameof(Monarch128x512) => new Monarch128x512(),
        nameof(LowRank128x512) => new LowRank128x512(),
        nameof(Kronecker128x512) => new Kronecker128x512(),
        nameof(Blast128x512) => new Blast128x512(),
        nameof(Dense512x128) => new Dense512x128(),
        nameof(Monarch512x128) => new Monarch512x128(),
        nameof(LowRank512x128) => new LowRank512x128(),
        nameof(BlockDiagonal512x128) => new BlockDiagonal512x128(),
        nameof(Dense784) => new Dense784(),
        nameof(Monarch784) => new Monarch784(),
        nameof(LowRank784) => new LowRank784(),
        nameof(MonarchPadded100) => new MonarchPadded100(),
        nameof(Dense100) => new Dense100(),
        _ => throw new ArgumentException(name),
    };
}
