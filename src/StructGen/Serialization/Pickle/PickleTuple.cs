using System.Collections.Generic;

namespace StructGen.Serialization.Pickle;

/// <summary>A Python tuple from a pickle (lists are <see cref="List{T}"/> of <see cref="object"/>).</summary>
internal sealed class PickleTuple
{
    public static readonly PickleTuple Empty = new([]);

    public PickleTuple(object?[] items) => Items = items;

    public object?[] Items { get; }

    public int Count => Items.Length;

    public object? this[int index] => Items[index];
}
