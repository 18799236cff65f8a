using BenchmarkDotNet.Attributes;
using StructGen.Benchmarks.Generated;
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Verification;

namespace StructGen.Benchmarks;

// The StructGen layer's half of every structure benchmark: compiled only with WithGenerated=true (the
// default), i.e. once the generator emits the layers of Generated/Layers.cs.
public abstract partial class StructureBenchmark
{
    private IStructuredLinear? _layer;
    private AlignedBuffer? _saved;

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
        _layer!.Forward(_x!.Span, _y!.Span, Batch, _saved!.Span);
        _layer.Backward(_x.Span, _dy!.Span, _dx!.Span, Batch, _saved.Span);
    }

    /// <summary>
    /// The training step's backward alone: reads the intermediate the training forward kept (filled in setup), so it computes
    /// the input and parameter gradients and nothing else.
    /// </summary>
    [Benchmark, BenchmarkCategory(SavedBackwardCategory)]
    public void StructGenSavedBackward() => _layer!.Backward(_x!.Span, _dy!.Span, _dx!.Span, Batch, _saved!.Span);

    partial void SetupStructGen()
    {
        _layer = GeneratedLayers.Create(Shape);
        LayerCheck.CopyParameters(_reference!, _layer);
        // 64-byte aligned like x, y and the gradients here (and like the tensors PyTorch's allocator hands autograd).
        _saved = new AlignedBuffer((long)Batch * _layer.SavedPerRow);
        _layer.Forward(_x!.Span, _y!.Span, Batch, _saved.Span); // what StructGenSavedBackward reads
    }

    partial void CleanupStructGen()
    {
        (_layer as System.IDisposable)?.Dispose();
        _layer = null;
        _saved?.Dispose();
        _saved = null;
    }
}
