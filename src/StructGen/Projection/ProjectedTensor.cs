using System;
using System.Collections.Generic;

namespace StructGen.Projection;

/// <summary>
/// One parameter tensor produced by a projection, named and laid out as the layer expects it
/// (STRUCTURES.md): <see cref="Data"/> is row-major over <see cref="Shape"/>.
/// </summary>
public sealed class ProjectedTensor
{
    private readonly int[] _shape;

    /// <summary>Creates a tensor; <paramref name="data"/> is kept, not copied.</summary>
    /// <param name="name">Tensor name as in STRUCTURES.md (e.g. <c>blkdiag1</c>).</param>
    /// <param name="shape">Shape, row-major (last index fastest); every dimension zero or more.</param>
    /// <param name="data">Values; exactly the product of <paramref name="shape"/> of them.</param>
    public ProjectedTensor(string name, int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long length = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            length *= d;
        }
        if (data.Length != length)
        {
            throw new ArgumentException($"data must hold {length} values for shape [{string.Join(", ", shape)}] but has {data.Length}.", nameof(data));
        }
        Name = name;
        _shape = (int[])shape.Clone();
        Data = data;
    }

    /// <summary>Tensor name as in STRUCTURES.md.</summary>
    public string Name { get; }

    /// <summary>Shape, row-major.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The values, row-major over <see cref="Shape"/>; the array itself, not a copy (large layers).</summary>
    public float[] Data { get; }

    /// <summary>Number of values (product of <see cref="Shape"/>).</summary>
    public int Length => Data.Length;

    /// <summary>Whether <see cref="Shape"/> equals <paramref name="shape"/> dimension by dimension.</summary>
    /// <param name="shape">The shape to compare with.</param>
    public bool HasShape(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count != _shape.Length)
        {
            return false;
        }
        for (int i = 0; i < _shape.Length; i++)
        {
            if (shape[i] != _shape[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", _shape)}]";
}
