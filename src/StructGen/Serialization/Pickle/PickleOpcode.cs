namespace StructGen.Serialization.Pickle;

/// <summary>
/// The pickle opcodes <see cref="RestrictedUnpickler"/> understands (names as in CPython's
/// <c>pickletools</c>). <c>torch.save</c> writes protocol 2; the few protocol 3–4 opcodes listed here are
/// as harmless and cost nothing. Every opcode not listed is refused.
/// </summary>
internal enum PickleOpcode : byte
{
    /// <summary>Protocol version, one byte.</summary>
    Proto = 0x80,

    /// <summary>Protocol 4 framing hint: 8-byte frame length (ignored).</summary>
    Frame = 0x95,

    /// <summary>End of pickle: the top of the stack is the result.</summary>
    Stop = (byte)'.',

    /// <summary>Pushes a global named by two text lines, module then name.</summary>
    Global = (byte)'c',

    /// <summary>Pops name, then module (both strings), and pushes that global.</summary>
    StackGlobal = 0x93,

    /// <summary>Stores the top of the stack in the memo, 1-byte index.</summary>
    BinPut = (byte)'q',

    /// <summary>Stores the top of the stack in the memo, 4-byte index.</summary>
    LongBinPut = (byte)'r',

    /// <summary>Stores the top of the stack in the memo under the next free index.</summary>
    Memoize = 0x94,

    /// <summary>Pushes a memo entry, 1-byte index.</summary>
    BinGet = (byte)'h',

    /// <summary>Pushes a memo entry, 4-byte index.</summary>
    LongBinGet = (byte)'j',

    /// <summary>Pushes a mark (starts a group for TUPLE, LIST, DICT, APPENDS, SETITEMS).</summary>
    Mark = (byte)'(',

    /// <summary>Discards the top of the stack.</summary>
    Pop = (byte)'0',

    /// <summary>Discards everything down to and including the last mark.</summary>
    PopMark = (byte)'1',

    /// <summary>Pushes an empty dict.</summary>
    EmptyDict = (byte)'}',

    /// <summary>Builds a dict from the key/value pairs above the last mark.</summary>
    Dict = (byte)'d',

    /// <summary>Pops value and key and stores them in the dict below.</summary>
    SetItem = (byte)'s',

    /// <summary>Stores the key/value pairs above the last mark in the dict below it.</summary>
    SetItems = (byte)'u',

    /// <summary>Pushes an empty list.</summary>
    EmptyList = (byte)']',

    /// <summary>Builds a list from the items above the last mark.</summary>
    List = (byte)'l',

    /// <summary>Pops a value and appends it to the list below.</summary>
    Append = (byte)'a',

    /// <summary>Appends the items above the last mark to the list below it.</summary>
    Appends = (byte)'e',

    /// <summary>Pushes an empty tuple.</summary>
    EmptyTuple = (byte)')',

    /// <summary>Builds a tuple from the items above the last mark.</summary>
    Tuple = (byte)'t',

    /// <summary>Builds a tuple from the top item.</summary>
    Tuple1 = 0x85,

    /// <summary>Builds a tuple from the top two items.</summary>
    Tuple2 = 0x86,

    /// <summary>Builds a tuple from the top three items.</summary>
    Tuple3 = 0x87,

    /// <summary>Signed 4-byte little-endian integer.</summary>
    BinInt = (byte)'J',

    /// <summary>Unsigned 1-byte integer.</summary>
    BinInt1 = (byte)'K',

    /// <summary>Unsigned 2-byte little-endian integer.</summary>
    BinInt2 = (byte)'M',

    /// <summary>Integer of n bytes (two's complement, little-endian), n in one byte.</summary>
    Long1 = 0x8a,

    /// <summary>8-byte big-endian IEEE double.</summary>
    BinFloat = (byte)'G',

    /// <summary>UTF-8 string, 4-byte length.</summary>
    BinUnicode = (byte)'X',

    /// <summary>UTF-8 string, 1-byte length.</summary>
    ShortBinUnicode = 0x8c,

    /// <summary>UTF-8 string, 8-byte length.</summary>
    BinUnicode8 = 0x8d,

    /// <summary>Bytes, 4-byte length (protocol 3).</summary>
    BinBytes = (byte)'B',

    /// <summary>Bytes, 1-byte length (protocol 3).</summary>
    ShortBinBytes = (byte)'C',

    /// <summary>Pushes <c>None</c>.</summary>
    None = (byte)'N',

    /// <summary>Pushes <c>True</c>.</summary>
    NewTrue = 0x88,

    /// <summary>Pushes <c>False</c>.</summary>
    NewFalse = 0x89,

    /// <summary>Pops an argument tuple and a callable and pushes the call's result (handled by the environment's allow list).</summary>
    Reduce = (byte)'R',

    /// <summary>Pops a state and applies it to the object below (handled by the environment).</summary>
    Build = (byte)'b',

    /// <summary>Pops a persistent id and pushes the object it names (torch: a storage).</summary>
    BinPersId = (byte)'Q',
}
