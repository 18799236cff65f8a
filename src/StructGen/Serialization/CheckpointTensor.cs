using System;
using System.Collections.Generic;
using System.IO;

namespace StructGen.Serialization;

/// <summary>
/// One tensor of a <see cref="Checkpoint"/>: its element type, its shape and a way to read its elements as
/// <see cref="float"/>. Tensors of an opened file are read on demand, so the checkpoint must stay undisposed
/// until they are read.
/// </summary>
public sealed class CheckpointTensor
{
    private readonly int[] _shape;
    private readonly TensorSource _source;

    /// <summary>Creates an in-memory float32 tensor from a copy of <paramref name="values"/>.</summary>
    /// <param name="values">Elements, row-major; exactly the product of <paramref name="shape"/> of them.</param>
    /// <param name="shape">Shape, row-major (last index fastest); empty for a scalar.</param>
    /// <exception cref="ArgumentException">The element count does not match the shape, or a dimension is negative.</exception>
    public CheckpointTensor(ReadOnlySpan<float> values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"values holds {values.Length} elements but shape [{string.Join(", ", shape)}] needs {count}.", nameof(values));
        }
        DType = TensorDType.Float32;
        _shape = (int[])shape.Clone();
        ElementCount = count;
        _source = new InMemoryTensorSource(values.ToArray());
    }

    internal CheckpointTensor(TensorDType dtype, int[] shape, long elementCount, TensorSource source)
    {
        DType = dtype;
        _shape = shape;
        ElementCount = elementCount;
        _source = source;
    }

    /// <summary>Element type as stored in the file; reads convert it to <see cref="float"/>.</summary>
    public TensorDType DType { get; }

    /// <summary>Shape, row-major (last index fastest); empty for a scalar.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount { get; }

    /// <summary>Reads every element, converted to <see cref="float"/>, into a new array (row-major).</summary>
    /// <exception cref="InvalidDataException">The stored data is truncated, corrupted or too large for one array.</exception>
    /// <exception cref="ObjectDisposedException">The checkpoint this tensor belongs to was disposed.</exception>
    public float[] ToFloatArray()
    {
        if (ElementCount > Array.MaxLength)
        {
            throw new InvalidDataException($"Cannot read {_source.Description}: {ElementCount} elements do not fit in one array (at most {Array.MaxLength}).");
        }
        var values = new float[ElementCount];
        CopyTo(values);
        return values;
    }

    /// <summary>Reads every element, converted to <see cref="float"/>, into <paramref name="destination"/> (row-major).</summary>
    /// <param name="destination">Exactly <see cref="ElementCount"/> floats.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has another length.</exception>
    /// <exception cref="InvalidDataException">The stored data is truncated or corrupted; <paramref name="destination"/> may then hold part of it.</exception>
    /// <exception cref="ObjectDisposedException">The checkpoint this tensor belongs to was disposed.</exception>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != ElementCount)
        {
            throw new ArgumentException($"destination must hold exactly {ElementCount} floats (shape {ShapeText(_shape)}) but has {destination.Length}.", nameof(destination));
        }
        try
        {
            _source.Read(destination);
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            throw new InvalidDataException($"Cannot read {_source.Description}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{DType.SafetensorsName()} {ShapeText(_shape)}";

    internal static string ShapeText(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
