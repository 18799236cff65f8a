using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;
using System.Threading;

namespace StructGen.Serialization.Torch;

/// <summary>
/// Reads one zip entry front to back, trusting nothing the archive declares: it never yields more bytes than
/// the declared size (a bomb cannot inflate past it), reports an entry that ends early, and checks the CRC-32
/// once the whole entry has been read. While open it holds the archive's lock, because every entry stream of
/// a <see cref="ZipArchive"/> reads through the one file stream.
/// </summary>
internal sealed class ZipEntryCursor : IDisposable
{
    /// <summary>Deflate cannot expand a byte by more than about 1032 times; a declared size beyond that is a lie.</summary>
    private const long MaxInflationRatio = 1100;

    private readonly Stream _stream;
    private readonly object _gate;
    private readonly string _name;
    private readonly long _declaredLength;
    private readonly uint _declaredCrc;
    private uint _crc = Crc32.Initial;
    private long _position;

    private ZipEntryCursor(Stream stream, object gate, string name, long declaredLength, uint declaredCrc)
    {
        _stream = stream;
        _gate = gate;
        _name = name;
        _declaredLength = declaredLength;
        _declaredCrc = declaredCrc;
    }

    /// <summary>Number of bytes the entry declares.</summary>
    public long Length => _declaredLength;

    /// <summary>Opens <paramref name="entry"/> under <paramref name="gate"/> (held until <see cref="Dispose"/>).</summary>
    public static ZipEntryCursor Open(ZipArchiveEntry entry, object gate)
    {
        if (entry.Length < 0 || entry.CompressedLength < 0 || entry.Length > entry.CompressedLength * MaxInflationRatio + 64)
        {
            throw new InvalidDataException(
                $"entry '{UntrustedText.Quote(entry.FullName)}' declares {entry.Length} bytes from {entry.CompressedLength} compressed bytes, more than deflate can produce (a zip bomb?).");
        }
        Monitor.Enter(gate);
        try
        {
            return new ZipEntryCursor(entry.Open(), gate, entry.FullName, entry.Length, entry.Crc32);
        }
        catch
        {
            Monitor.Exit(gate);
            throw;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with the next bytes of the entry.</summary>
    public void ReadExactly(Span<byte> destination)
    {
        if (destination.Length > _declaredLength - _position)
        {
            throw new InvalidDataException($"entry '{UntrustedText.Quote(_name)}' holds {_declaredLength} bytes; {_position + destination.Length} are needed.");
        }
        int total = 0;
        while (total < destination.Length)
        {
            int read = _stream.Read(destination.Slice(total));
            if (read == 0)
            {
                throw new InvalidDataException($"entry '{UntrustedText.Quote(_name)}' ends after {_position + total} bytes but declares {_declaredLength} (truncated?).");
            }
            total += read;
        }
        _crc = Crc32.Append(_crc, destination);
        _position += destination.Length;
    }

    /// <summary>Reads and discards <paramref name="count"/> bytes (they still count towards the CRC).</summary>
    public void Skip(long count)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (count > 0)
            {
                int n = (int)Math.Min(count, scratch.Length);
                ReadExactly(scratch.AsSpan(0, n));
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Reads the rest of the entry, then checks that nothing follows its declared end and that its CRC-32 matches.</summary>
    public void Finish()
    {
        Skip(_declaredLength - _position);
        Span<byte> one = stackalloc byte[1];
        if (_stream.Read(one) != 0)
        {
            throw new InvalidDataException($"entry '{UntrustedText.Quote(_name)}' holds more than the {_declaredLength} bytes it declares.");
        }
        uint crc = Crc32.Finish(_crc);
        if (crc != _declaredCrc)
        {
            throw new InvalidDataException($"entry '{UntrustedText.Quote(_name)}' fails its CRC-32 check (stored 0x{_declaredCrc:x8}, computed 0x{crc:x8}): the data is corrupted.");
        }
    }

    public void Dispose()
    {
        try
        {
            _stream.Dispose();
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }
}
