using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using StructGen.Serialization;

namespace StructGen.Parity.Tests;

/// <summary>
/// Safetensors files whose 8-byte header length starts with the byte 0x80 followed by a byte ≤ 5 (lengths 128,
/// 384, 640, …) begin like a pickle's PROTO opcode. The fixture blockdiag_padded_20x11_b3.safetensors and
/// StructGen's own save of dense_19x23 have a 128-byte header; they must open as safetensors.
/// </summary>
public sealed class HeaderLengthTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "structgen-parity-header-" + Guid.NewGuid().ToString("N"));

    public HeaderLengthTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(120)]
    [InlineData(128)]
    [InlineData(136)]
    [InlineData(384)]
    [InlineData(640)]
    [InlineData(1408)]
    public void Safetensors_opens_whatever_its_header_length(int headerLength)
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        Assert.True(json.Length <= headerLength);
        var file = new byte[8 + headerLength + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        file.AsSpan(8, headerLength).Fill((byte)' ');
        json.CopyTo(file, 8);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + headerLength), 1.5f);
        string path = Path.Combine(_folder, $"h{headerLength}.safetensors");
        File.WriteAllBytes(path, file);

        using Checkpoint checkpoint = Checkpoint.Open(path);
        Assert.Equal(CheckpointFormat.Safetensors, checkpoint.Format);
        Assert.Equal([1.5f], checkpoint["t"].ToFloatArray());
    }
}
