using System;
using System.Buffers;
using System.IO;

namespace StructGen.Serialization.Torch;

/// <summary>
/// Reads a <see cref="TorchTensorRecord"/> out of its storage record. A contiguous view streams straight from
/// the record into the destination; any other view (a transpose, a slice with a step, an expand) reads the
/// span of the storage it touches and gathers element by element in row-major order. Either way the whole
/// record passes through the CRC check.
/// </summary>
internal sealed class TorchTensorSource : TensorSource
{
    private const int ChunkBytes = 1 << 20;

    private readonly TorchArchive _archive;
    private readonly TorchTensorRecord _tensor;
    private readonly string _name;
    private readonly string _path;

    public TorchTensorSource(TorchArchive archive, TorchTensorRecord tensor, string name, string path)
    {
        _archive = archive;
        _tensor = tensor;
        _name = name;
        _path = path;
    }

    public override string Description => $"tensor '{UntrustedText.Quote(_name)}' ({_tensor.Storage}) of checkpoint '{_path}'";

    public override void Read(Span<float> destination)
    {
        TorchStorage storage = _tensor.Storage;
        using ZipEntryCursor cursor = _archive.OpenRecord(storage.Entry);
        if (_tensor.ElementCount > 0)
        {
            if (_tensor.IsContiguous)
            {
                ReadContiguous(cursor, destination);
            }
            else
            {
                ReadStrided(cursor, destination);
            }
        }
        cursor.Finish();
    }

    private void ReadContiguous(ZipEntryCursor cursor, Span<float> destination)
    {
        TorchStorage storage = _tensor.Storage;
        int size = storage.DType.Size();
        cursor.Skip(_tensor.StorageOffset * size);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int perChunk = ChunkBytes / size;
            for (int done = 0; done < destination.Length;)
            {
                int count = Math.Min(perChunk, destination.Length - done);
                Span<byte> bytes = buffer.AsSpan(0, count * size);
                cursor.ReadExactly(bytes);
                ElementDecoder.Decode(storage.DType, bytes, destination.Slice(done, count), storage.BigEndian);
                done += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadStrided(ZipEntryCursor cursor, Span<float> destination)
    {
        TorchStorage storage = _tensor.Storage;
        int size = storage.DType.Size();
        long first = _tensor.StorageOffset; // strides are never negative, so the view's lowest index
        long spanBytes = (_tensor.LastIndex - first + 1) * size;
        if (spanBytes > Array.MaxLength)
        {
            throw new InvalidDataException($"the strided view spans {spanBytes} bytes of its storage; at most {Array.MaxLength} are read at once.");
        }
        cursor.Skip(first * size);
        byte[] span = GC.AllocateUninitializedArray<byte>((int)spanBytes);
        cursor.ReadExactly(span);

        int[] sizes = _tensor.Sizes;
        long[] strides = _tensor.Strides;
        int rank = sizes.Length;
        var index = new int[rank];
        long position = 0; // element index relative to `first`
        const int GatherElements = 1 << 14;
        byte[] gathered = ArrayPool<byte>.Shared.Rent(GatherElements * size);
        try
        {
            int filled = 0;
            for (int done = 0; done < destination.Length; done++)
            {
                span.AsSpan((int)(position * size), size).CopyTo(gathered.AsSpan(filled * size));
                if (++filled == GatherElements || done == destination.Length - 1)
                {
                    ElementDecoder.Decode(storage.DType, gathered.AsSpan(0, filled * size), destination.Slice(done + 1 - filled, filled), storage.BigEndian);
                    filled = 0;
                }
                for (int d = rank - 1; d >= 0; d--) // odometer over the indices, last fastest
                {
                    position += strides[d];
                    if (++index[d] < sizes[d])
                    {
                        break;
                    }
                    position -= strides[d] * sizes[d];
                    index[d] = 0;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }
}
