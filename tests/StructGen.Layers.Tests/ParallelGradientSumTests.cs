using System;
using System.Reflection;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

// 33·1000 + 999·33 + 999 = 66,966 parameters: over the 64 k floats from which the threads of a call sum the chunks'
// gradients together, each over its own range, and not a whole number of 16-float lines (the last range has a tail).
[LowRank(r: 33, In = 1000, Out = 999)] public partial class LowRankSummedInRanges;

/// <summary>
/// A two-thread backward whose gradients are large enough to be summed by both threads, each over its own range: the
/// result has exactly the bits of the chunks' own gradients added in chunk order (the serial sum), and a second call
/// starts every chunk's private buffer from zero again. (That steady-state calls allocate nothing is checked where no
/// other test runs beside it: StructGen.Reliability.Tests' ThreadCountTests.)
/// </summary>
public class ParallelGradientSumTests
{
    [Fact]
    public void Two_threads_sum_their_gradients_in_ranges_to_the_bits_of_the_serial_sum()
    {
        Assert.True(new LowRankSummedInRanges().Gradients.Length >= 64 * 1024, "the layer must take the ranged sum");
        if (Environment.ProcessorCount < 2)
        {
            return; // one chunk: nothing is summed
        }
        int tile = (int)typeof(LowRankSummedInRanges).GetField("BackwardTileRows", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;
        int batch = 2 * tile; // two chunks of one tile each
        var one = new LowRankSummedInRanges();
        var two = new LowRankSummedInRanges { ThreadCount = 2 };
        one.Parameters.CopyTo(two.Parameters);
        int n = one.InFeatures, m = one.OutFeatures;
        float[] x = LayerCatalog.Random(batch * n, 71), dy = LayerCatalog.Random(batch * m, 73);

        // Each chunk's gradients alone, from zero, on one thread.
        one.ZeroGradients();
        one.Backward(x.AsSpan(0, tile * n), dy.AsSpan(0, tile * m), new float[tile * n], tile);
        float[] first = one.Gradients.ToArray();
        one.ZeroGradients();
        one.Backward(x.AsSpan(tile * n), dy.AsSpan(tile * m), new float[tile * n], tile);
        float[] second = one.Gradients.ToArray();

        two.ZeroGradients();
        two.Backward(x, dy, new float[batch * n], batch);
        float[] summed = two.Gradients.ToArray();
        for (int i = 0; i < summed.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(first[i] + second[i]) == BitConverter.SingleToInt32Bits(summed[i]),
                $"gradient {i} of {summed.Length}: {summed[i]} against {first[i]} + {second[i]}");
        }

        // A second call: chunk 1's private buffer must start from zero again, so the gradients double.
        two.Backward(x, dy, new float[batch * n], batch);
        float[] twice = two.Gradients.ToArray();
        double difference = 0, norm = 1e-300;
        for (int i = 0; i < twice.Length; i++)
        {
            double expected = 2.0 * summed[i];
            difference += (twice[i] - expected) * (twice[i] - expected);
            norm += expected * expected;
        }
        Assert.True(Math.Sqrt(difference / norm) <= 1e-6, $"a second call's gradients are {Math.Sqrt(difference / norm):E2} off twice the first's");
    }
}
