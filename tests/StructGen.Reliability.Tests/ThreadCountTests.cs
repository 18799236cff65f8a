using System;

namespace StructGen.Reliability.Tests;

/// <summary>Results do not depend on ThreadCount beyond floating-point reassociation of gradient sums.</summary>
[Collection(nameof(AllocationCollection))]
public class ThreadCountTests
{
    [Theory]
    [MemberData(nameof(Catalog.Names), MemberType = typeof(Catalog))]
    public void One_and_two_threads_agree(string name)
    {
        dynamic one = Catalog.Create(name), two = Catalog.Create(name);
        two.ThreadCount = 2;
        IStructuredLinear a = one, b = two;
        int n = a.InFeatures, m = a.OutFeatures;
        const int batch = 300; // several tiles, so the chunks really split
        float[] x = Catalog.Random(batch * n, 5), dy = Catalog.Random(batch * m, 6);
        float[] y1 = new float[batch * m], y2 = new float[batch * m];
        a.Forward(x, y1, batch);
        b.Forward(x, y2, batch);
        Assert.True(y1.AsSpan().SequenceEqual(y2), "forward differs between 1 and 2 threads");

        float[] dx1 = new float[batch * n], dx2 = new float[batch * n];
        a.Backward(x, dy, dx1, batch);
        b.Backward(x, dy, dx2, batch);
        Assert.True(dx1.AsSpan().SequenceEqual(dx2), "input gradient differs between 1 and 2 threads");
        float[] g1 = a.Gradients.ToArray(), g2 = b.Gradients.ToArray();
        // Relative error in norm: ‖g₁ − g₂‖ / ‖g₁‖.
        double difference = 0, norm = 1e-300;
        for (int i = 0; i < g1.Length; i++)
        {
            difference += ((double)g1[i] - g2[i]) * ((double)g1[i] - g2[i]);
            norm += (double)g1[i] * g1[i];
        }
        double relative = Math.Sqrt(difference / norm);
        Assert.True(relative <= 1e-6, $"parameter gradients differ by {relative:E2} relative (in norm)");

        // The same thread count always gives the same bits.
        dynamic again = Catalog.Create(name);
        again.ThreadCount = 2;
        IStructuredLinear c = again;
        c.Backward(x, dy, new float[batch * n], batch);
        Assert.True(c.Gradients.SequenceEqual(g2), "two runs with 2 threads differ");
    }

    [Fact]
    public void A_chunk_buffer_reused_by_a_smaller_layer_carries_nothing_over()
    {
        // The pooled backward job keeps its per-chunk gradient buffers, grown to the largest layer seen: a smaller
        // layer split next must see only its own rows' gradients in them.
        var large = new MonarchLayer { ThreadCount = 2 };
        var small = new LowRankLayer { ThreadCount = 2 };
        var reference = new LowRankLayer();
        Assert.True(large.ParameterCount > small.ParameterCount);
        const int batch = 300;
        float[] xl = Catalog.Random(batch * 256, 7), dyl = Catalog.Random(batch * 512, 8);
        float[] xs = Catalog.Random(batch * 200, 9), dys = Catalog.Random(batch * 150, 10);
        for (int i = 0; i < 3; i++)
        {
            large.Backward(xl, dyl, new float[batch * 256], batch);
            small.Backward(xs, dys, new float[batch * 200], batch);
            reference.Backward(xs, dys, new float[batch * 200], batch);
        }
        float[] expected = reference.Gradients.ToArray(), actual = small.Gradients.ToArray();
        double difference = 0, norm = 1e-300;
        for (int i = 0; i < expected.Length; i++)
        {
            difference += ((double)expected[i] - actual[i]) * ((double)expected[i] - actual[i]);
            norm += (double)expected[i] * expected[i];
        }
        Assert.True(Math.Sqrt(difference / norm) <= 1e-6, $"gradients differ by {Math.Sqrt(difference / norm):E2} relative (in norm)");
    }

    [Fact]
    public void Two_threads_allocate_nothing_in_steady_state()
    {
        var layer = new MonarchLayer { ThreadCount = 2 };
        const int batch = 256;
        float[] x = Catalog.Random(batch * 256, 1), dy = Catalog.Random(batch * 512, 2);
        var y = new float[batch * 512];
        var dx = new float[batch * 256];
        for (int i = 0; i < 10; i++)
        {
            layer.Forward(x, y, batch);
            layer.Backward(x, dy, dx, batch);
        }
        // Measured on each thread that does the work: the caller here, the pool threads by the pool
        // (the process-wide counter also sees the test host's own background threads).
        long caller = GC.GetAllocatedBytesForCurrentThread();
        long workers = Kernels.ParallelRows.WorkerAllocatedBytes;
        for (int i = 0; i < 200; i++)
        {
            layer.Forward(x, y, batch);
            layer.Backward(x, dy, dx, batch);
        }
        long callerBytes = GC.GetAllocatedBytesForCurrentThread() - caller;
        long workerBytes = Kernels.ParallelRows.WorkerAllocatedBytes - workers;
        Assert.Equal(0, callerBytes);
        Assert.Equal(0, workerBytes);
    }

    [Fact]
    public void Two_threads_summing_large_gradients_in_ranges_allocate_nothing_in_steady_state()
    {
        // Its gradients (over 64 k floats) are summed by a pooled job of their own after the chunks.
        var layer = new LargeGradientLayer { ThreadCount = 2 };
        Assert.True(layer.Gradients.Length >= 64 * 1024);
        const int batch = 256;
        float[] x = Catalog.Random(batch * layer.InFeatures, 3), dy = Catalog.Random(batch * layer.OutFeatures, 4);
        var dx = new float[batch * layer.InFeatures];
        for (int i = 0; i < 5; i++)
        {
            layer.Backward(x, dy, dx, batch);
        }
        long caller = GC.GetAllocatedBytesForCurrentThread();
        long workers = Kernels.ParallelRows.WorkerAllocatedBytes;
        for (int i = 0; i < 20; i++)
        {
            layer.Backward(x, dy, dx, batch);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        Assert.Equal(0, Kernels.ParallelRows.WorkerAllocatedBytes - workers);
    }

    [Fact]
    public void ThreadCount_below_one_is_rejected()
    {
        var layer = new MonarchLayer();
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.ThreadCount = 0);
        Assert.Equal(1, layer.ThreadCount);
    }
}
