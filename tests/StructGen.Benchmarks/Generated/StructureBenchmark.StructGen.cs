using BenchmarkDotNet.Attributes;
using StructGen.Benchmarks.Generated;
using StructGen.Benchmarks.Verification;

namespace StructGen.Benchmarks;

// The StructGen layer's half of every structure benchmark: compiled only with WithGenerated=true (the
// default), i.e. once the generator emits the layers of Generated/Layers.cs.
public abstract partial class StructureBenchmark
{
    private IStructuredLinear? _layer;
    private float[]? _saved;

    /// <summary>The generated layer's forward, on the reference form's parameters.</summary>
    [Benchmark, BenchmarkCategory(ForwardCategory)]
    public void StructGenForward() => _layer!.Forward(_x!.Span, _y!.Span, Batch);

    /// <summary>The generated layer's backward (input and parameter gradients).</summary>
    [Benchmark, BenchmarkCategory(BackwardCategory)]
    public void StructGenBackward() => _layer!.Backward(_x!.Span, _dy!.Span, _dx!.Span, Batch);

    /// <summary>
    /// A training step: the forward that keeps its intermediate (<see cref="IStructuredLinear.SavedPerRow"/> floats a row),
    /// then the backward that reads it instead of recomputing it.
    /// </summary>
    [Benchmark, BenchmarkCategory(StepCategory)]
    public void StructGenStep()
    {
        _layer!.Forward(_x!.Span, _y!.Span, Batch, _saved);
        _layer.Backward(_x.Span, _dy!.Span, _dx!.Span, Batch, _saved);
    }

    partial void SetupStructGen()
    {
        _layer = GeneratedLayers.Create(Shape);
        LayerCheck.CopyParameters(_reference!, _layer);
        _saved = new float[Batch * _layer.SavedPerRow];
    }

    partial void CleanupStructGen()
    {
        (_layer as System.IDisposable)?.Dispose();
        _layer = null;
        _saved = null;
    }
}
