using System;

namespace StructGen.Serialization;

/// <summary>
/// Where the elements of one <see cref="CheckpointTensor"/> live (memory, a byte range of a safetensors file,
/// a view of a torch storage) and how to turn them into floats. Shape and dtype were validated when the
/// checkpoint was opened; a source reports anything it finds wrong while reading as an
/// <see cref="System.IO.InvalidDataException"/> whose message states the problem only.
/// </summary>
internal abstract class TensorSource
{
    /// <summary>Names the tensor and its file for error messages, e.g. <c>tensor 'w' of 'a.pt'</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Writes every element, converted to float, in row-major order; <paramref name="destination"/> has exactly the element count.</summary>
    public abstract void Read(Span<float> destination);
}
