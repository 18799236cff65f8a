using System;
using System.Threading;
using System.Threading.Tasks;

namespace StructGen.Reliability.Tests;

/// <summary>Forward is safe to call from several threads at once on one layer.</summary>
public class ConcurrencyTests
{
    [Theory]
    [InlineData(nameof(MonarchLayer))]
    [InlineData(nameof(BlastLayer))]
    [InlineData(nameof(KroneckerLayer))]
    [InlineData(nameof(LowRankLayer))]
    public void Eight_threads_times_2000_forwards_match_a_sequential_run_bit_for_bit(string name)
    {
        IStructuredLinear layer = Catalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        int[] batches = [1, 3, 16, 7, 70, 2, 33];
        var inputs = new float[batches.Length][];
        var expected = new float[batches.Length][];
        for (int i = 0; i < batches.Length; i++)
        {
            inputs[i] = Catalog.Random(batches[i] * n, i);
            expected[i] = new float[batches[i] * m];
            layer.Forward(inputs[i], expected[i], batches[i]);
        }

        int mismatches = 0;
        using var start = new Barrier(8);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            var outputs = new float[batches.Length][];
            for (int i = 0; i < batches.Length; i++) outputs[i] = new float[batches[i] * m];
            start.SignalAndWait();
            for (int call = 0; call < 2000; call++)
            {
                int i = (call + thread) % batches.Length;
                layer.Forward(inputs[i], outputs[i], batches[i]);
                if (!outputs[i].AsSpan().SequenceEqual(expected[i]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });
        Assert.Equal(0, mismatches);
    }
}
