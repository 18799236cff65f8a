using System;

namespace StructGen.Serialization;

/// <summary>Float32 elements held in an array this source owns (tensors built in code or taken from a layer).</summary>
internal sealed class InMemoryTensorSource : TensorSource
{
    private readonly float[] _values;

    public InMemoryTensorSource(float[] values) => _values = values;

    public override string Description => "in-memory tensor";

    public override void Read(Span<float> destination) => _values.CopyTo(destination);
}
