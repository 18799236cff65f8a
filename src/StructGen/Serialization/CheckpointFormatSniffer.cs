using System;
using System.Buffers.Binary;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace StructGen.Serialization;

/// <summary>
/// Tells the formats apart by their first bytes, never by the file name: a <c>.bin</c> may be either, and
/// people rename files.
/// </summary>
internal static class CheckpointFormatSniffer
{
    /// <summary>
    /// What <c>torch.save</c> wrote first before PyTorch 1.6: <c>PROTO 2</c>, then <c>LONG1</c> with the magic
    /// number 0x1950a86a20f9469cfc6c.
    /// </summary>
    private static ReadOnlySpan<byte> LegacyTorchMagic => [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>Returns the format of the file, or throws an <see cref="InvalidDataException"/> saying what it is instead.</summary>
    public static CheckpointFormat Detect(SafeFileHandle file)
    {
        Span<byte> head = stackalloc byte[16];
        int n = ReadHead(file, head);
        head = head.Slice(0, n);

        // Local file header, or the end-of-central-directory record of an empty archive.
        if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        {
            return CheckpointFormat.TorchZip;
        }
        // Safetensors before pickles: a header length of 128, 384, 640, … also starts with 0x80 and a small byte.
        if (n >= 9 && head[8] == (byte)'{' && !head.StartsWith(LegacyTorchMagic))
        {
            return CheckpointFormat.Safetensors;
        }
        if (n >= 2 && head[0] == 0x80 && head[1] <= 5)
        {
            string what = head.StartsWith(LegacyTorchMagic)
                ? "it is in the legacy torch.save format (PyTorch < 1.6, or saved with _use_new_zipfile_serialization=False), which this reader does not read"
                : "it is a bare Python pickle, not a torch.save zip archive";
            throw new InvalidDataException(
                what + ". Re-save it with PyTorch ≥ 1.6: `torch.save(torch.load(path), path)` (the default _use_new_zipfile_serialization=True writes the zip format), " +
                "or save it as safetensors: `safetensors.torch.save_file(state_dict, \"model.safetensors\")`.");
        }
        if (n < 9)
        {
            throw new InvalidDataException($"the file is {n} bytes long, too short for a safetensors or torch.save file.");
        }
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(head);
        throw new InvalidDataException(
            $"it is neither safetensors (8-byte header length then '{{'; here the length would be {declared} and byte 8 is 0x{head[8]:x2}) " +
            $"nor a torch.save zip (starts with 'PK'); it starts with {Convert.ToHexString(head)}.");
    }

    private static int ReadHead(SafeFileHandle file, Span<byte> head)
    {
        int total = 0;
        while (total < head.Length)
        {
            int read = RandomAccess.Read(file, head.Slice(total), total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
