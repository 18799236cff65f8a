using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Text;

namespace StructGen.Serialization.Pickle;

/// <summary>
/// A pickle reader that understands only what a state dict is made of and never imports or runs anything.
/// </summary>
/// <remarks>
/// <para>
/// It is CPython's <c>pickle._Unpickler</c> machine reduced to the opcodes in <see cref="PickleOpcode"/>: a
/// value stack, marks, a memo. Plain data (None, bool, int, float, str, bytes, tuple, list, dict) is built
/// here; globals, calls (REDUCE), BUILD and persistent ids are handed to an <see cref="IPickleEnvironment"/>,
/// which answers from its allow list. Any other opcode (NEWOBJ, INST, OBJ, EXT*, text-mode opcodes, …) is
/// refused.
/// </para>
/// <para>
/// Hostile input cannot make it loop, recurse or grow without bound: it is one pass over the bytes, with
/// every length checked against what is left, and caps on the stack and the memo. Every failure is an
/// <see cref="InvalidDataException"/> naming the opcode and its byte offset.
/// </para>
/// </remarks>
internal sealed class RestrictedUnpickler
{
    /// <summary>Most values on the stack at once; torch.save batches at most 1000 items per SETITEMS/APPENDS.</summary>
    public const int MaxStackDepth = 1 << 20;

    /// <summary>Most memo entries; a state dict uses about ten per tensor.</summary>
    public const int MaxMemoEntries = 1 << 22;

    private const int MaxGlobalLineBytes = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _data;
    private readonly IPickleEnvironment _environment;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;
    private int _opcodeStart;

    private RestrictedUnpickler(byte[] data, IPickleEnvironment environment)
    {
        _data = data;
        _environment = environment;
    }

    /// <summary>Reads one pickle that must fill <paramref name="data"/> exactly and returns the object it describes.</summary>
    public static object? Load(byte[] data, IPickleEnvironment environment)
    {
        var reader = new RestrictedUnpickler(data, environment);
        try
        {
            return reader.Run();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"pickle byte {reader._opcodeStart} (opcode 0x{SafeByte(data, reader._opcodeStart):x2}): {e.Message}", e);
        }
    }

    private static byte SafeByte(byte[] data, int index) => index < data.Length ? data[index] : (byte)0;

    private object? Run()
    {
        while (true)
        {
            _opcodeStart = _position;
            byte opcode = ReadByte();
            switch ((PickleOpcode)opcode)
            {
                case PickleOpcode.Proto:
                    byte version = ReadByte();
                    if (version is < 2 or > 5)
                    {
                        throw new InvalidDataException($"pickle protocol {version} is not read (torch.save writes protocol 2).");
                    }
                    break;
                case PickleOpcode.Frame:
                    ulong frame = ReadUInt64();
                    if (frame > (ulong)(_data.Length - _position))
                    {
                        throw new InvalidDataException($"FRAME of {frame} bytes runs past the end of the pickle.");
                    }
                    break;
                case PickleOpcode.Stop:
                    object? result = Pop();
                    if (_stack.Count != 0 || _marks.Count != 0)
                    {
                        throw new InvalidDataException($"STOP leaves {_stack.Count} values and {_marks.Count} marks behind.");
                    }
                    if (_position != _data.Length)
                    {
                        throw new InvalidDataException($"{_data.Length - _position} bytes follow STOP.");
                    }
                    return result;

                case PickleOpcode.Global:
                    string module = ReadLine();
                    string name = ReadLine();
                    Push(_environment.ResolveGlobal(module, name));
                    break;
                case PickleOpcode.StackGlobal:
                    string globalName = Pop() as string ?? throw new InvalidDataException("STACK_GLOBAL needs a str name.");
                    string globalModule = Pop() as string ?? throw new InvalidDataException("STACK_GLOBAL needs a str module.");
                    Push(_environment.ResolveGlobal(globalModule, globalName));
                    break;

                case PickleOpcode.BinPut:
                    Put(ReadByte());
                    break;
                case PickleOpcode.LongBinPut:
                    Put(ReadUInt32());
                    break;
                case PickleOpcode.Memoize:
                    Put(_memo.Count);
                    break;
                case PickleOpcode.BinGet:
                    Get(ReadByte());
                    break;
                case PickleOpcode.LongBinGet:
                    Get(ReadUInt32());
                    break;

                case PickleOpcode.Mark:
                    _marks.Add(_stack.Count);
                    break;
                case PickleOpcode.Pop:
                    Pop();
                    break;
                case PickleOpcode.PopMark:
                    PopMark();
                    break;

                case PickleOpcode.EmptyDict:
                    Push(new PickleDict());
                    break;
                case PickleOpcode.Dict:
                {
                    object?[] items = PopMark();
                    var dict = new PickleDict();
                    SetItems(dict, items);
                    Push(dict);
                    break;
                }
                case PickleOpcode.SetItem:
                {
                    object? value = Pop();
                    object? key = Pop();
                    Top<PickleDict>("SETITEM").Set(key, value);
                    break;
                }
                case PickleOpcode.SetItems:
                {
                    object?[] items = PopMark();
                    SetItems(Top<PickleDict>("SETITEMS"), items);
                    break;
                }

                case PickleOpcode.EmptyList:
                    Push(new List<object?>());
                    break;
                case PickleOpcode.List:
                    Push(new List<object?>(PopMark()));
                    break;
                case PickleOpcode.Append:
                {
                    object? value = Pop();
                    Top<List<object?>>("APPEND").Add(value);
                    break;
                }
                case PickleOpcode.Appends:
                {
                    object?[] items = PopMark();
                    Top<List<object?>>("APPENDS").AddRange(items);
                    break;
                }

                case PickleOpcode.EmptyTuple:
                    Push(PickleTuple.Empty);
                    break;
                case PickleOpcode.Tuple:
                    Push(new PickleTuple(PopMark()));
                    break;
                case PickleOpcode.Tuple1:
                    Push(new PickleTuple([Pop()]));
                    break;
                case PickleOpcode.Tuple2:
                {
                    object? b = Pop();
                    object? a = Pop();
                    Push(new PickleTuple([a, b]));
                    break;
                }
                case PickleOpcode.Tuple3:
                {
                    object? c = Pop();
                    object? b = Pop();
                    object? a = Pop();
                    Push(new PickleTuple([a, b, c]));
                    break;
                }

                case PickleOpcode.BinInt:
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case PickleOpcode.BinInt1:
                    Push((long)ReadByte());
                    break;
                case PickleOpcode.BinInt2:
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case PickleOpcode.Long1:
                    Push(ReadLong(ReadByte()));
                    break;
                case PickleOpcode.BinFloat:
                    Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                    break;

                case PickleOpcode.BinUnicode:
                    Push(ReadString(ReadUInt32()));
                    break;
                case PickleOpcode.ShortBinUnicode:
                    Push(ReadString(ReadByte()));
                    break;
                case PickleOpcode.BinUnicode8:
                    Push(ReadString(ReadUInt64()));
                    break;
                case PickleOpcode.BinBytes:
                    Push(Take(CheckLength(ReadUInt32())).ToArray());
                    break;
                case PickleOpcode.ShortBinBytes:
                    Push(Take(ReadByte()).ToArray());
                    break;

                case PickleOpcode.None:
                    Push(null);
                    break;
                case PickleOpcode.NewTrue:
                    Push(true);
                    break;
                case PickleOpcode.NewFalse:
                    Push(false);
                    break;

                case PickleOpcode.Reduce:
                {
                    PickleTuple arguments = Pop() as PickleTuple ?? throw new InvalidDataException("REDUCE needs an argument tuple.");
                    object? callable = Pop();
                    Push(_environment.Call(callable, arguments));
                    break;
                }
                case PickleOpcode.Build:
                {
                    object? state = Pop();
                    _environment.Build(Peek("BUILD"), state);
                    break;
                }
                case PickleOpcode.BinPersId:
                    Push(_environment.PersistentLoad(Pop()));
                    break;

                default:
                    throw new InvalidDataException(
                        $"opcode 0x{opcode:x2}{(opcode is >= 0x20 and < 0x7f ? $" ('{(char)opcode}')" : "")} is not one a state dict is made of; this reader refuses it.");
            }
        }
    }

    private void SetItems(PickleDict dict, object?[] items)
    {
        if (items.Length % 2 != 0)
        {
            throw new InvalidDataException($"{items.Length} items after the mark cannot be key/value pairs.");
        }
        for (int i = 0; i < items.Length; i += 2)
        {
            dict.Set(items[i], items[i + 1]);
        }
    }

    private void Push(object? value)
    {
        if (_stack.Count >= MaxStackDepth)
        {
            throw new InvalidDataException($"more than {MaxStackDepth} values on the stack.");
        }
        _stack.Add(value);
    }

    private int MarkBase => _marks.Count == 0 ? 0 : _marks[^1];

    private object? Pop()
    {
        if (_stack.Count <= MarkBase)
        {
            throw new InvalidDataException("stack underflow (nothing above the last mark).");
        }
        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek(string opcode)
    {
        if (_stack.Count <= MarkBase)
        {
            throw new InvalidDataException($"{opcode} on an empty stack.");
        }
        return _stack[^1];
    }

    private T Top<T>(string opcode) where T : class =>
        Peek(opcode) as T ?? throw new InvalidDataException($"{opcode} applied to a {PickleValue.TypeName(_stack[^1])}.");

    private object?[] PopMark()
    {
        if (_marks.Count == 0)
        {
            throw new InvalidDataException("no mark to pop to.");
        }
        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        object?[] items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private void Put(long index)
    {
        object? value = Peek("PUT");
        if (_memo.Count >= MaxMemoEntries && !_memo.ContainsKey(index))
        {
            throw new InvalidDataException($"more than {MaxMemoEntries} memo entries.");
        }
        _memo[index] = value;
    }

    private void Get(long index)
    {
        if (!_memo.TryGetValue(index, out object? value))
        {
            throw new InvalidDataException($"memo entry {index} was never stored.");
        }
        Push(value);
    }

    private byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw new InvalidDataException("the pickle ends early (no STOP).");
        }
        return _data[_position++];
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new InvalidDataException($"{count} bytes needed but only {_data.Length - _position} are left.");
        }
        ReadOnlySpan<byte> span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private int CheckLength(ulong length) =>
        length <= (ulong)(_data.Length - _position)
            ? (int)length
            : throw new InvalidDataException($"a length of {length} bytes runs past the end of the pickle ({_data.Length - _position} bytes left).");

    private string ReadString(ulong length)
    {
        ReadOnlySpan<byte> bytes = Take(CheckLength(length));
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("a str is not valid UTF-8.", e);
        }
    }

    private object ReadLong(int length)
    {
        ReadOnlySpan<byte> bytes = Take(length);
        if (length == 0)
        {
            return 0L;
        }
        if (length <= 8)
        {
            long value = 0;
            for (int i = length - 1; i >= 0; i--)
            {
                value = (value << 8) | bytes[i];
            }
            int unused = 64 - 8 * length;
            return unused == 0 ? value : (value << unused) >> unused; // sign-extend
        }
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position, Math.Min(MaxGlobalLineBytes, _data.Length - _position));
        if (end < 0)
        {
            throw new InvalidDataException($"GLOBAL has no line end within {MaxGlobalLineBytes} bytes.");
        }
        string line = ReadString((ulong)(end - _position));
        _position++; // the '\n'
        return line;
    }
}
