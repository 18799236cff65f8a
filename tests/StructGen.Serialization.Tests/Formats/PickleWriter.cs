using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace StructGen.Serialization.Tests.Formats;

/// <summary>
/// Test-side pickle emitter: one method per protocol-2 opcode, with the encodings CPython's pickler picks
/// (smallest int opcode, BINPUT/LONG_BINPUT by memo index). Written from the pickle format, independent of
/// the reader.
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _out = new();
    private int _nextMemo;

    public byte[] ToArray() => _out.ToArray();

    public PickleWriter Op(char opcode) => Byte((byte)opcode);

    public PickleWriter Byte(byte b)
    {
        _out.WriteByte(b);
        return this;
    }

    public PickleWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        return this;
    }

    public PickleWriter Proto(byte version = 2) => Byte(0x80).Byte(version);

    public PickleWriter Stop() => Op('.');

    public PickleWriter Mark() => Op('(');

    public PickleWriter Global(string module, string name) => Op('c').Bytes(Encoding.UTF8.GetBytes(module + "\n" + name + "\n"));

    /// <summary>Memoizes the top of the stack under the next index and returns the index.</summary>
    public int Put()
    {
        int index = _nextMemo++;
        if (index < 256)
        {
            Op('q').Byte((byte)index);
        }
        else
        {
            Op('r').UInt32((uint)index);
        }
        return index;
    }

    public PickleWriter Get(int index) => index < 256 ? Op('h').Byte((byte)index) : Op('j').UInt32((uint)index);

    public PickleWriter Int(long value)
    {
        if (value is >= 0 and < 256)
        {
            return Op('K').Byte((byte)value);
        }
        if (value is >= 0 and < 65536)
        {
            Op('M');
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
            return Bytes(b);
        }
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Op('J');
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
            return Bytes(b);
        }
        // LONG1: minimal two's complement, little-endian
        var bytes = new List<byte>();
        long v = value;
        while (true)
        {
            byte low = (byte)v;
            bytes.Add(low);
            v >>= 8;
            if ((v == 0 && (low & 0x80) == 0) || (v == -1 && (low & 0x80) != 0))
            {
                break;
            }
        }
        return Byte(0x8a).Byte((byte)bytes.Count).Bytes(bytes.ToArray());
    }

    public PickleWriter Float(double value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, value);
        return Op('G').Bytes(b);
    }

    public PickleWriter Unicode(string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        return Op('X').UInt32((uint)utf8.Length).Bytes(utf8);
    }

    public PickleWriter ShortUnicode(string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        return Byte(0x8c).Byte((byte)utf8.Length).Bytes(utf8);
    }

    public PickleWriter StackGlobal() => Byte(0x93);

    public PickleWriter Memoize() => Byte(0x94);

    public PickleWriter False() => Byte(0x89);

    public PickleWriter True() => Byte(0x88);

    public PickleWriter None() => Op('N');

    public PickleWriter EmptyTuple() => Op(')');

    public PickleWriter EmptyDict() => Op('}');

    public PickleWriter EmptyList() => Op(']');

    public PickleWriter Tuple() => Op('t');

    public PickleWriter Tuple1() => Byte(0x85);

    public PickleWriter Tuple2() => Byte(0x86);

    public PickleWriter Tuple3() => Byte(0x87);

    public PickleWriter Reduce() => Op('R');

    public PickleWriter Build() => Op('b');

    public PickleWriter PersId() => Op('Q');

    public PickleWriter SetItem() => Op('s');

    public PickleWriter SetItems() => Op('u');

    public PickleWriter Append() => Op('a');

    public PickleWriter Appends() => Op('e');

    /// <summary>A tuple of ints the way pickle writes one: EMPTY_TUPLE, TUPLE1-3, or MARK … TUPLE; then memoized.</summary>
    public PickleWriter IntTuple(IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            return EmptyTuple();
        }
        if (values.Count > 3)
        {
            Mark();
        }
        foreach (long v in values)
        {
            Int(v);
        }
        _ = values.Count switch
        {
            1 => Tuple1(),
            2 => Tuple2(),
            3 => Tuple3(),
            _ => Tuple(),
        };
        Put();
        return this;
    }

    private PickleWriter UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Bytes(b);
    }
}
