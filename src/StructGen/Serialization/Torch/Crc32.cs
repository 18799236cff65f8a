using System;

namespace StructGen.Serialization.Torch;

/// <summary>
/// The zip CRC-32 (reflected polynomial 0xEDB88320). <see cref="System.IO.Compression.ZipArchive"/> does not
/// check it when reading, and a flipped bit inside a stored (uncompressed) tensor is otherwise invisible.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The running value before any byte.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Feeds <paramref name="bytes"/> into a running value that started at <see cref="Initial"/>.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> bytes)
    {
        uint[] table = Table;
        foreach (byte b in bytes)
        {
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        }
        return state;
    }

    /// <summary>The CRC of everything fed into <paramref name="state"/>.</summary>
    public static uint Finish(uint state) => ~state;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
