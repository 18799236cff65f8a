using System;
using System.Collections.Generic;
using StructGen.Benchmarks.Native;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>One named parameter tensor of a reference form, with its gradient (same shape).</summary>
internal sealed class ReferenceTensor : IDisposable
{
    public ReferenceTensor(string name, params int[] shape)
    {
        Name = name;
        Shape = shape;
        long length = 1;
        foreach (int d in shape)
        {
            length *= d;
        }
        Value = new AlignedBuffer(length);
        Gradient = new AlignedBuffer(length);
    }

    /// <summary>Name as in STRUCTURES.md (and the PyTorch reference code).</summary>
    public string Name { get; }

    /// <summary>Row-major shape.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values.</summary>
    public AlignedBuffer Value { get; }

    /// <summary>Accumulated gradient.</summary>
    public AlignedBuffer Gradient { get; }

    /// <summary>Number of elements.</summary>
    public long Length => Value.Length;

    /// <inheritdoc />
    public void Dispose()
    {
        Value.Dispose();
        Gradient.Dispose();
    }
}
