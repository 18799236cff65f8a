using System;
using System.Buffers;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace StructGen.Serialization.Safetensors;

/// <summary>
/// A tensor of a safetensors file: a contiguous little-endian byte range, read with positional reads (no
/// shared file position, so several tensors can be read at once from several threads).
/// </summary>
internal sealed class SafetensorsTensorSource : TensorSource
{
    private const int ChunkBytes = 1 << 20;

    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly string _name;
    private readonly TensorDType _dtype;
    private readonly long _offset;

    public SafetensorsTensorSource(SafeFileHandle file, string path, string name, TensorDType dtype, long offset)
    {
        _file = file;
        _path = path;
        _name = name;
        _dtype = dtype;
        _offset = offset;
    }

    public override string Description => $"tensor '{_name}' of checkpoint '{_path}'";

    public override void Read(Span<float> destination)
    {
        int size = _dtype.Size();
        int elementsPerChunk = ChunkBytes / size;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long position = _offset;
            for (int done = 0; done < destination.Length;)
            {
                int count = Math.Min(elementsPerChunk, destination.Length - done);
                Span<byte> bytes = buffer.AsSpan(0, count * size);
                ReadExactly(bytes, position);
                ElementDecoder.Decode(_dtype, bytes, destination.Slice(done, count), bigEndian: false);
                position += bytes.Length;
                done += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadExactly(Span<byte> bytes, long position)
    {
        int total = 0;
        while (total < bytes.Length)
        {
            int read = RandomAccess.Read(_file, bytes.Slice(total), position + total);
            if (read == 0)
            {
                throw new InvalidDataException($"the file ends at byte {position + total} but the tensor's data runs to byte {position + bytes.Length} (was the file truncated after it was opened?).");
            }
            total += read;
        }
    }
}
