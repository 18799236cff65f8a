using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace StructGen.Serialization;

/// <summary>
/// Converts stored elements of any <see cref="TensorDType"/> to <see cref="float"/>. The floating-point types
/// narrower than binary32 (F16, BF16, F8) convert exactly: every value they hold is a <see cref="float"/>.
/// </summary>
internal static class ElementDecoder
{
    /// <summary>
    /// Decodes <paramref name="destination"/>.Length elements from <paramref name="source"/>, which holds exactly
    /// that many elements of <paramref name="dtype"/> in the given byte order.
    /// </summary>
    public static void Decode(TensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination, bool bigEndian)
    {
        int size = dtype.Size();
        if (source.Length != (long)destination.Length * size)
        {
            throw new ArgumentException($"Expected {(long)destination.Length * size} bytes for {destination.Length} {dtype} elements, got {source.Length}.", nameof(source));
        }

        switch (dtype)
        {
            case TensorDType.Float32:
                if (bigEndian == !BitConverter.IsLittleEndian)
                {
                    // Same byte order as this machine: a bit copy, so NaN payloads survive.
                    MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                }
                else
                {
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(MemoryMarshal.Read<int>(source.Slice(4 * i))));
                    }
                }
                break;
            case TensorDType.Float16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = HalfToSingle(Read16(source, i, bigEndian));
                }
                break;
            case TensorDType.BFloat16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BFloat16ToSingle(Read16(source, i, bigEndian));
                }
                break;
            case TensorDType.Float64:
                for (int i = 0; i < destination.Length; i++)
                {
                    ReadOnlySpan<byte> b = source.Slice(8 * i, 8);
                    destination[i] = (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b));
                }
                break;
            case TensorDType.Float8E4M3:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = Float8E4M3ToSingle(source[i]);
                }
                break;
            case TensorDType.Float8E5M2:
                for (int i = 0; i < destination.Length; i++)
                {
                    // E5M2 is binary16 with the low mantissa byte dropped.
                    destination[i] = HalfToSingle((ushort)(source[i] << 8));
                }
                break;
            case TensorDType.Int8:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (sbyte)source[i];
                }
                break;
            case TensorDType.UInt8:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = source[i];
                }
                break;
            case TensorDType.Bool:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = source[i] != 0 ? 1f : 0f;
                }
                break;
            case TensorDType.Int16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (short)Read16(source, i, bigEndian);
                }
                break;
            case TensorDType.UInt16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = Read16(source, i, bigEndian);
                }
                break;
            case TensorDType.Int32:
                for (int i = 0; i < destination.Length; i++)
                {
                    ReadOnlySpan<byte> b = source.Slice(4 * i, 4);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b);
                }
                break;
            case TensorDType.UInt32:
                for (int i = 0; i < destination.Length; i++)
                {
                    ReadOnlySpan<byte> b = source.Slice(4 * i, 4);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
                }
                break;
            case TensorDType.Int64:
                for (int i = 0; i < destination.Length; i++)
                {
                    ReadOnlySpan<byte> b = source.Slice(8 * i, 8);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b);
                }
                break;
            case TensorDType.UInt64:
                for (int i = 0; i < destination.Length; i++)
                {
                    ReadOnlySpan<byte> b = source.Slice(8 * i, 8);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype.");
        }
    }

    /// <summary>binary16 bits to the <see cref="float"/> of the same value (exact; NaN stays NaN, sign kept).</summary>
    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>bfloat16 bits to <see cref="float"/>: bfloat16 is the upper half of a binary32, so this is exact.</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>
    /// float8 e4m3fn (bias 7, no infinities; <c>S.1111.111</c> is NaN) to <see cref="float"/>, exactly.
    /// </summary>
    public static float Float8E4M3ToSingle(byte bits)
    {
        int exponent = (bits >> 3) & 0xF;
        int mantissa = bits & 0x7;
        float magnitude;
        if (exponent == 0xF && mantissa == 0x7)
        {
            magnitude = float.NaN;
        }
        else if (exponent == 0)
        {
            magnitude = mantissa * (1f / 512f); // subnormal: m/8 · 2^-6
        }
        else
        {
            magnitude = (8 + mantissa) * MathF.ScaleB(1f, exponent - 10); // (1 + m/8) · 2^(e-7)
        }
        return (bits & 0x80) != 0 ? -magnitude : magnitude;
    }

    private static ushort Read16(ReadOnlySpan<byte> source, int index, bool bigEndian)
    {
        ReadOnlySpan<byte> b = source.Slice(2 * index, 2);
        return bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
    }
}
