using System;
using System.Collections.Generic;

namespace StructGen;

/// <summary>One named parameter tensor of a structured layer: where it sits in the flat parameter buffer and its shape.</summary>
public sealed class ParameterTensor
{
    private readonly int[] _shape;

    /// <summary>Creates a tensor description.</summary>
    /// <param name="name">Name as in the PyTorch reference implementation (e.g. <c>blkdiag1</c>).</param>
    /// <param name="offset">Index of the first element in <see cref="IStructuredLinear.Parameters"/>.</param>
    /// <param name="shape">Shape, row-major (last index fastest).</param>
    public ParameterTensor(string name, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Name = name;
        Offset = offset;
        _shape = (int[])shape.Clone();
        long length = 1;
        foreach (int d in _shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            length *= d;
        }
        Length = checked((int)length);
    }

    /// <summary>Name as in the PyTorch reference implementation.</summary>
    public string Name { get; }

    /// <summary>Index of the first element in the flat parameter buffer.</summary>
    public int Offset { get; }

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public int Length { get; }

    /// <summary>Shape, row-major.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>This tensor's slice of a flat buffer laid out like <see cref="IStructuredLinear.Parameters"/>.</summary>
    public Span<float> Slice(Span<float> buffer) => buffer.Slice(Offset, Length);

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", _shape)}] @ {Offset}";
}
