using System;
using System.Linq;
using StructGen.Kernels;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

// Blocks of 16 inputs in rows of 1 KB: their forwards request x's next block, per call, once the call's rows come from memory.
[Monarch(blocks: 16, In = 256, Out = 256)] public partial class MonarchRequesting256;

[BlockDiagonal(blocks: 16, In = 256, Out = 256)] public partial class BlockDiagonalRequesting256;

/// <summary>
/// A forward whose call's rows come from memory (<see cref="Prefetch.PaysForCall"/>: its block loop requests x's next
/// column block) gives its dense reconstruction and exactly the bits of the same rows in calls too small to request, on
/// one thread and on two; the backward of such a call (Monarch's weight-gradient loops and block diagonal's block loop
/// request too) gives the input gradient of the dense reconstruction and, on one thread, the bits of the small calls'
/// input and parameter gradients.
/// </summary>
public class PerCallRequestTests
{
    // Two threads' chunks of at least 4096 rows of 256 inputs (4 MB each), and a short last tile.
    private const int Batch = 8800 + 37;

    // Calls of whole tiles well under 4 MB of input: they do not request.
    private const int SmallCall = 1024;

    [Theory]
    [InlineData("monarch", 1)]
    [InlineData("monarch", 2)]
    [InlineData("blockdiag", 1)]
    [InlineData("blockdiag", 2)]
    public void A_forward_that_requests_its_next_blocks_equals_its_dense_reconstruction_and_the_small_calls_bits(string structure, int threads)
    {
        IStructuredLinear layer = Create(structure, threads);
        int n = layer.InFeatures, m = layer.OutFeatures;
        Assert.True(Prefetch.PaysForCall((long)(Batch - 512) / threads * n), "each thread's chunk must be large enough to request");
        Assert.False(Prefetch.PaysForCall((long)SmallCall * n), "the small calls must not request");
        float[] x = LayerCatalog.Random(Batch * n, 61);
        var y = new float[Batch * m];
        layer.Forward(x, y, Batch);
        var tensors = DenseOracle.Read(layer, layer.Parameters);
        Tolerance.Close(DenseOracle.Forward(layer, tensors, x.Select(v => (double)v).ToArray(), Batch), y, 1e-5, $"{structure} forward, {threads} thread(s)");

        var small = new float[Batch * m];
        for (int row = 0; row < Batch; row += SmallCall)
        {
            int rows = Math.Min(SmallCall, Batch - row);
            layer.Forward(x.AsSpan(row * n, rows * n), small.AsSpan(row * m, rows * m), rows);
        }
        Assert.True(small.AsSpan().SequenceEqual(y), $"{structure}: the requesting call's output differs from the small calls'");
    }

    [Theory]
    [InlineData("monarch", 1)]
    [InlineData("monarch", 2)]
    [InlineData("blockdiag", 1)]
    [InlineData("blockdiag", 2)]
    public void A_backward_that_requests_its_next_blocks_equals_its_dense_reconstruction_and_the_small_calls_bits(string structure, int threads)
    {
        IStructuredLinear layer = Create(structure, threads);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(Batch * n, 67), dy = LayerCatalog.Random(Batch * m, 71);
        var dx = new float[Batch * n];
        layer.ZeroGradients();
        layer.Backward(x, dy, dx, Batch);
        Tolerance.Close(GradientOracle.InputGradient(layer, dy, Batch), dx, 1e-4, $"{structure} ∂x, {threads} thread(s)");
        if (threads != 1)
        {
            return; // two threads sum their chunks' gradients in another order (ThreadCountTests)
        }
        float[] gradients = layer.Gradients.ToArray();
        layer.ZeroGradients();
        var smallDx = new float[Batch * n];
        for (int row = 0; row < Batch; row += SmallCall)
        {
            int rows = Math.Min(SmallCall, Batch - row);
            layer.Backward(x.AsSpan(row * n, rows * n), dy.AsSpan(row * m, rows * m), smallDx.AsSpan(row * n, rows * n), rows);
        }
        Assert.True(smallDx.AsSpan().SequenceEqual(dx), $"{structure}: the requesting call's input gradient differs from the small calls'");
        Assert.True(layer.Gradients.SequenceEqual(gradients), $"{structure}: the requesting call's parameter gradients differ from the small calls'");
    }

    private static IStructuredLinear Create(string structure, int threads) => structure switch
    {
        "monarch" => new MonarchRequesting256 { ThreadCount = threads },
        _ => new BlockDiagonalRequesting256 { ThreadCount = threads },
    };
}
