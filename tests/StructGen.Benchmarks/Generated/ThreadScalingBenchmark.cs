using System;
using System.Collections.Generic;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using StructGen.Benchmarks.Generated;
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>
/// Issue 4's "2 threads vs 1, batch ≥ 256" point: each generated layer at 1 and 2 threads (its
/// <c>ThreadCount</c>). Runs in a second pass timed with wall time (CPU time would add the threads up);
/// the <c>vs 1 thread</c> column gives the speed-up. Meaningful only on a machine with two idle cores.
/// </summary>
public class ThreadScalingBenchmark
{
    private IStructuredLinear? _layer;
    private AlignedBuffer? _x;
    private AlignedBuffer? _y;
    private AlignedBuffer? _dy;
    private AlignedBuffer? _dx;

    /// <summary>The structure.</summary>
    [ParamsSource(nameof(Kinds))]
    public StructureKind Kind { get; set; }

    /// <summary>Square size.</summary>
    [Params(1024, 4096)]
    public int N { get; set; }

    /// <summary>Rows per call.</summary>
    [Params(256, 4096)]
    public int Batch { get; set; }

    /// <summary>The layer's <c>ThreadCount</c>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The structures measured.</summary>
    public static IEnumerable<StructureKind> Kinds =>
        [StructureKind.Monarch, StructureKind.LowRank, StructureKind.Kronecker, StructureKind.Blast, StructureKind.BlockDiagonal];

    /// <summary>Builds the layer, sets its thread count and the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        StructureShape shape = StructureShape.Of(Kind, N);
        _layer = GeneratedLayers.Create(shape);
        _layer.Initialize(seed: 2);
        PropertyInfo threadCount = _layer.GetType().GetProperty("ThreadCount")
            ?? throw new InvalidOperationException($"{_layer.GetType().Name} has no ThreadCount property.");
        threadCount.SetValue(_layer, Threads);
        var random = new Random(3);
        _x = new AlignedBuffer((long)Batch * shape.In);
        _y = new AlignedBuffer((long)Batch * shape.Out);
        _dy = new AlignedBuffer((long)Batch * shape.Out);
        _dx = new AlignedBuffer((long)Batch * shape.In);
        _x.FillUniform(random, 1f);
        _dy.FillUniform(random, 1f);
    }

    /// <summary>Frees the buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        (_layer as IDisposable)?.Dispose();
        _x?.Dispose();
        _y?.Dispose();
        _dy?.Dispose();
        _dx?.Dispose();
        _layer = null;
        _x = _y = _dy = _dx = null;
    }

    /// <summary>Forward at <see cref="Threads"/> threads.</summary>
    [Benchmark]
    public void StructGenForward() => _layer!.Forward(_x!.Span, _y!.Span, Batch);

    /// <summary>Backward at <see cref="Threads"/> threads.</summary>
    [Benchmark]
    public void StructGenBackward() => _layer!.Backward(_x!.Span, _dy!.Span, _dx!.Span, Batch);
}
