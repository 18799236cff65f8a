using System;
using System.IO;

namespace StructGen.Serialization.Torch;

/// <summary>
/// A tensor as <c>_rebuild_tensor_v2</c> describes it: a view of a <see cref="TorchStorage"/> given by a
/// storage offset, sizes and strides (in elements). Created only through <see cref="Create"/>, which proves
/// every element the view can reach lies inside the storage.
/// </summary>
internal sealed class TorchTensorRecord
{
    /// <summary>Most dimensions accepted.</summary>
    public const int MaxRank = 64;

    /// <summary>
    /// A view may repeat storage elements (a stride of 0, as <c>expand</c> makes), so it can have more elements
    /// than its storage; beyond this many such elements it is refused, so a tiny file cannot demand gigabytes.
    /// </summary>
    public const long MaxRepeatedViewElements = 1 << 24;

    private TorchTensorRecord(TorchStorage storage, long storageOffset, int[] sizes, long[] strides, long elementCount, long lastIndex)
    {
        Storage = storage;
        StorageOffset = storageOffset;
        Sizes = sizes;
        Strides = strides;
        ElementCount = elementCount;
        LastIndex = lastIndex;
    }

    public TorchStorage Storage { get; }

    /// <summary>Index of element [0, 0, …] in the storage (elements, not bytes).</summary>
    public long StorageOffset { get; }

    public int[] Sizes { get; }

    /// <summary>Strides in elements, one per dimension, each ≥ 0.</summary>
    public long[] Strides { get; }

    public long ElementCount { get; }

    /// <summary>Largest storage index the view reaches (meaningless when <see cref="ElementCount"/> is 0).</summary>
    public long LastIndex { get; }

    /// <summary>True when the elements sit in the storage in row-major order with no gaps (strides of size-1 dimensions do not matter).</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Sizes.Length - 1; d >= 0; d--)
            {
                if (Sizes[d] != 1 && Strides[d] != expected)
                {
                    return false;
                }
                expected *= Sizes[d];
            }
            return true;
        }
    }

    public static TorchTensorRecord Create(TorchStorage storage, long storageOffset, long[] sizes, long[] strides)
    {
        if (sizes.Length > MaxRank)
        {
            throw new InvalidDataException($"a tensor has {sizes.Length} dimensions; at most {MaxRank} are read.");
        }
        if (strides.Length != sizes.Length)
        {
            throw new InvalidDataException($"a tensor has {sizes.Length} sizes but {strides.Length} strides.");
        }
        if (storageOffset < 0)
        {
            throw new InvalidDataException($"a tensor has storage offset {storageOffset}.");
        }
        var shape = new int[sizes.Length];
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] < 0 || sizes[d] > int.MaxValue)
            {
                throw new InvalidDataException($"a tensor has size {sizes[d]} in dimension {d}.");
            }
            if (strides[d] < 0)
            {
                throw new InvalidDataException($"a tensor has a negative stride ({strides[d]}) in dimension {d}; torch never writes one.");
            }
            shape[d] = (int)sizes[d];
        }
        if (!TensorShape.TryCountElements(shape, out long count))
        {
            throw new InvalidDataException($"a tensor of shape {CheckpointTensor.ShapeText(shape)} has too many elements.");
        }

        long last = storageOffset;
        if (count == 0)
        {
            if (storageOffset > storage.ElementCount)
            {
                throw new InvalidDataException($"an empty tensor starts at element {storageOffset} of {storage}, which has {storage.ElementCount}.");
            }
        }
        else
        {
            Int128 reach = storageOffset; // 64 terms below 2^31 · 2^63 each cannot overflow 128 bits
            for (int d = 0; d < shape.Length; d++)
            {
                reach += (Int128)(shape[d] - 1) * strides[d];
            }
            if (reach >= storage.ElementCount)
            {
                throw new InvalidDataException(
                    $"a tensor of shape {CheckpointTensor.ShapeText(shape)}, strides ({string.Join(", ", strides)}) at offset {storageOffset} reaches element {reach} of {storage}, which has {storage.ElementCount}.");
            }
            last = (long)reach;
            if (count > storage.ElementCount && count > MaxRepeatedViewElements)
            {
                throw new InvalidDataException(
                    $"a tensor of shape {CheckpointTensor.ShapeText(shape)} repeats the {storage.ElementCount} elements of {storage} into {count}; more than {MaxRepeatedViewElements} repeated elements are refused.");
            }
        }
        return new TorchTensorRecord(storage, storageOffset, shape, strides, count, last);
    }
}
