using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace StructGen.Serialization.Tests.Formats;

/// <summary>
/// Test-side zip writer from the PKWARE layout (local headers, central directory, end record), stored entries
/// as torch.save writes them. Each entry can lie about its size or CRC, or be deflated, for the hostile cases.
/// </summary>
internal sealed class ZipBytes
{
    private readonly List<Entry> _entries = [];

    public ZipBytes Add(string name, byte[] data) => Add(new Entry(name, data));

    public ZipBytes Add(Entry entry)
    {
        _entries.Add(entry);
        return this;
    }

    public byte[] Build()
    {
        var output = new MemoryStream();
        var offsets = new List<(Entry Entry, long Offset, byte[] Payload, uint Crc)>();
        foreach (Entry e in _entries)
        {
            byte[] payload = e.Deflate ? Deflate(e.Data) : e.Data;
            uint crc = e.Crc ?? Crc(e.Data);
            offsets.Add((e, output.Position, payload, crc));
            WriteUInt32(output, 0x04034b50);
            WriteUInt16(output, 20);
            WriteUInt16(output, 0);
            WriteUInt16(output, (ushort)(e.Deflate ? 8 : 0));
            WriteUInt16(output, 0);
            WriteUInt16(output, 0x21); // 1980-01-01
            WriteUInt32(output, crc);
            WriteUInt32(output, (uint)payload.Length);
            WriteUInt32(output, e.DeclaredLength ?? (uint)e.Data.Length);
            byte[] name = Encoding.UTF8.GetBytes(e.Name);
            WriteUInt16(output, (ushort)name.Length);
            WriteUInt16(output, 0);
            output.Write(name);
            output.Write(payload);
        }
        long directory = output.Position;
        foreach (var (e, offset, payload, crc) in offsets)
        {
            WriteUInt32(output, 0x02014b50);
            WriteUInt16(output, 20);
            WriteUInt16(output, 20);
            WriteUInt16(output, 0);
            WriteUInt16(output, (ushort)(e.Deflate ? 8 : 0));
            WriteUInt16(output, 0);
            WriteUInt16(output, 0x21);
            WriteUInt32(output, crc);
            WriteUInt32(output, (uint)payload.Length);
            WriteUInt32(output, e.DeclaredLength ?? (uint)e.Data.Length);
            byte[] name = Encoding.UTF8.GetBytes(e.Name);
            WriteUInt16(output, (ushort)name.Length);
            WriteUInt16(output, 0);
            WriteUInt16(output, 0);
            WriteUInt16(output, 0);
            WriteUInt16(output, 0);
            WriteUInt32(output, 0);
            WriteUInt32(output, (uint)offset);
            output.Write(name);
        }
        long directoryEnd = output.Position;
        WriteUInt32(output, 0x06054b50);
        WriteUInt16(output, 0);
        WriteUInt16(output, 0);
        WriteUInt16(output, (ushort)_entries.Count);
        WriteUInt16(output, (ushort)_entries.Count);
        WriteUInt32(output, (uint)(directoryEnd - directory));
        WriteUInt32(output, (uint)directory);
        WriteUInt16(output, 0);
        return output.ToArray();
    }

    /// <summary>CRC-32 computed bit by bit (no table), so it shares nothing with the library's.</summary>
    public static uint Crc(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }
        return ~crc;
    }

    private static byte[] Deflate(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }
        return buffer.ToArray();
    }

    private static void WriteUInt16(Stream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        s.Write(b);
    }

    private static void WriteUInt32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        s.Write(b);
    }

    /// <summary>One entry; the overrides make it lie.</summary>
    internal sealed record Entry(string Name, byte[] Data, bool Deflate = false, uint? DeclaredLength = null, uint? Crc = null);
}
