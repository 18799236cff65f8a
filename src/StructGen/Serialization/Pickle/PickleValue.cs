using System.Collections.Generic;
using System.Numerics;

namespace StructGen.Serialization.Pickle;

/// <summary>How pickled values are represented, and their Python type names for error messages.</summary>
/// <remarks>
/// None → <see langword="null"/>; bool → <see cref="bool"/>; int → <see cref="long"/> (or <see cref="BigInteger"/>
/// when it does not fit); float → <see cref="double"/>; str → <see cref="string"/>; bytes → <see cref="byte"/>[];
/// tuple → <see cref="PickleTuple"/>; list → <see cref="List{T}"/> of object; dict → <see cref="PickleDict"/>;
/// anything else is whatever the environment returned for a global, a call or a persistent id.
/// </remarks>
internal static class PickleValue
{
    public static string TypeName(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        PickleTuple => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
