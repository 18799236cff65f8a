using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.ReferenceForms;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>
/// One structure at n ∈ {1024, 4096} × batch ∈ {1, 16, 256, 4096}, forward and backward, each beside dense
/// OpenBLAS (the baseline of its category) and the structure's PyTorch-reference form; the StructGen layer's
/// own methods are in Generated/StructureBenchmark.StructGen.cs. Method names are <c>{Role}{Direction}</c>
/// with role Dense, Reference or StructGen: the custom columns read them.
/// </summary>
public abstract partial class StructureBenchmark
{
    /// <summary>Category of the forward benchmarks.</summary>
    public const string ForwardCategory = "Forward";

    /// <summary>Category of the backward benchmarks.</summary>
    public const string BackwardCategory = "Backward";

    /// <summary>
    /// Category of the training step: the training forward, which keeps the intermediate, then the backward that
    /// reads it (what PyTorch's forward + backward with autograd's saved tensors does). StructGen only.
    /// </summary>
    public const string StepCategory = "Step";

    /// <summary>
    /// Category of the training step's backward alone: input and parameter gradients from the intermediate a training
    /// forward kept, nothing recomputed (the work the backward target names). StructGen only.
    /// </summary>
    public const string SavedBackwardCategory = "SavedBackward";

    private ReferenceForm? _dense;
    private ReferenceForm? _reference;
    private AlignedBuffer? _x;
    private AlignedBuffer? _y;
    private AlignedBuffer? _dy;
    private AlignedBuffer? _dx;

    /// <summary>The structure this class measures.</summary>
    public abstract StructureKind Kind { get; }

    /// <summary>Square size n (In = Out = n).</summary>
    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    /// <summary>Rows per call.</summary>
    [Params(1, 16, 256, 4096)]
    public int Batch { get; set; }

    /// <summary>The sizes this structure is measured at.</summary>
    public virtual IEnumerable<int> Sizes => [1024, 4096];

    /// <summary>The shape measured now.</summary>
    public StructureShape Shape => StructureShape.Of(Kind, N);

    /// <summary>Loads OpenBLAS, builds both forms and the inputs (uniform, seeded).</summary>
    [GlobalSetup]
    public void Setup()
    {
        OpenBlas.Load();
        StructureShape shape = Shape;
        _dense = ReferenceFormFactory.Create(StructureShape.Of(StructureKind.Dense, N), Batch);
        _dense.Initialize(seed: 1);
        _reference = ReferenceFormFactory.Create(shape, Batch);
        _reference.Initialize(seed: 2);
        var random = new Random(3);
        _x = new AlignedBuffer((long)Batch * shape.In);
        _y = new AlignedBuffer((long)Batch * shape.Out);
        _dy = new AlignedBuffer((long)Batch * shape.Out);
        _dx = new AlignedBuffer((long)Batch * shape.In);
        _x.FillUniform(random, 1f);
        _dy.FillUniform(random, 1f);
        SetupStructGen();
    }

    /// <summary>Frees the native buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        CleanupStructGen();
        _dense?.Dispose();
        _reference?.Dispose();
        _x?.Dispose();
        _y?.Dispose();
        _dy?.Dispose();
        _dx?.Dispose();
        _dense = _reference = null;
        _x = _y = _dy = _dx = null;
    }

    /// <summary>Dense <c>y = x·Wᵀ</c>: sgemm, sgemv at batch 1.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(ForwardCategory)]
    public unsafe void DenseForward() => _dense!.Forward(_x!.Pointer, _y!.Pointer, Batch);

    /// <summary>The structure as the PyTorch reference code computes it.</summary>
    [Benchmark, BenchmarkCategory(ForwardCategory)]
    public unsafe void ReferenceForward() => _reference!.Forward(_x!.Pointer, _y!.Pointer, Batch);

    /// <summary>Dense backward: <c>dx = dy·W</c>, <c>dW += dyᵀ·x</c>.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(BackwardCategory)]
    public unsafe void DenseBackward() => _dense!.Backward(_x!.Pointer, _dy!.Pointer, _dx!.Pointer, Batch);

    /// <summary>The reference form's backward (input and parameter gradients).</summary>
    [Benchmark, BenchmarkCategory(BackwardCategory)]
    public unsafe void ReferenceBackward() => _reference!.Backward(_x!.Pointer, _dy!.Pointer, _dx!.Pointer, Batch);

    partial void SetupStructGen();

    partial void CleanupStructGen();
}
