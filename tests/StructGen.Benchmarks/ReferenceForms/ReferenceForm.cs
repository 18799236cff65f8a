using System;
using System.Collections.Generic;
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>
/// A structured layer computed the way its PyTorch reference code computes it on one CPU core: one
/// <c>cblas_sgemm</c> per block (what <c>torch.bmm</c> does on CPU) plus the permutation copies that the
/// reference's reshapes and transposes make, forward and backward (the products autograd runs).
/// </summary>
/// <remarks>
/// Scratch is allocated once for <see cref="MaxBatch"/> rows, so a call allocates nothing (PyTorch
/// allocates per call; leaving that out only makes the baseline stronger). <see cref="Backward"/> receives
/// the input, as <see cref="IStructuredLinear.Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/> does, so it recomputes the intermediate that
/// autograd would have saved in the forward pass; the generated layers pay the same.
/// </remarks>
internal abstract unsafe class ReferenceForm : IDisposable
{
    private readonly List<ReferenceTensor> _tensors = [];
    private readonly List<AlignedBuffer> _scratch = [];

    protected ReferenceForm(StructureShape shape, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        Shape = shape;
        MaxBatch = maxBatch;
    }

    /// <summary>The layer shape.</summary>
    public StructureShape Shape { get; }

    /// <summary>Largest batch the scratch buffers hold.</summary>
    public int MaxBatch { get; }

    /// <summary>Parameter tensors in STRUCTURES.md order.</summary>
    public IReadOnlyList<ReferenceTensor> Tensors => _tensors;

    /// <summary><c>y = x·Wᵀ</c> for <paramref name="batch"/> rows (no bias).</summary>
    public abstract void Forward(float* x, float* y, int batch);

    /// <summary>Writes <c>dx = dy·W</c> and adds every parameter gradient into <see cref="ReferenceTensor.Gradient"/>.</summary>
    public abstract void Backward(float* x, float* dy, float* dx, int batch);

    /// <summary>Fills every tensor with uniform values scaled by <c>1/√fan_in</c> of its last dimension.</summary>
    public void Initialize(int seed)
    {
        var random = new Random(seed);
        foreach (ReferenceTensor tensor in _tensors)
        {
            tensor.Value.FillUniform(random, 1f / MathF.Sqrt(tensor.Shape[^1]));
        }
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (ReferenceTensor tensor in _tensors)
        {
            tensor.Gradient.Clear();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (ReferenceTensor tensor in _tensors)
        {
            tensor.Dispose();
        }
        foreach (AlignedBuffer buffer in _scratch)
        {
            buffer.Dispose();
        }
        _tensors.Clear();
        _scratch.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Declares the next parameter tensor.</summary>
    protected ReferenceTensor AddTensor(string name, params int[] shape)
    {
        var tensor = new ReferenceTensor(name, shape);
        _tensors.Add(tensor);
        return tensor;
    }

    /// <summary>A scratch buffer of <paramref name="floatsPerRow"/> floats per row, for <see cref="MaxBatch"/> rows.</summary>
    protected float* AddScratch(long floatsPerRow)
    {
        var buffer = new AlignedBuffer(floatsPerRow * MaxBatch);
        _scratch.Add(buffer);
        return buffer.Pointer;
    }

    /// <summary>Checks that <paramref name="batch"/> fits the scratch buffers.</summary>
    protected void CheckBatch(int batch)
    {
        if ((uint)batch > (uint)MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The form was built for at most {MaxBatch} rows.");
        }
    }
}
