using System;

namespace StructGen.Serialization;

/// <summary>Element sizes and the names each file format gives to a <see cref="TensorDType"/>.</summary>
internal static class TensorDTypeInfo
{
    /// <summary>Every safetensors dtype name this reader reads, for error messages.</summary>
    public const string SupportedSafetensorsNames = "F32, F16, BF16, F64, F8_E4M3, F8_E5M2, I8, I16, I32, I64, U8, U16, U32, U64, BOOL";

    /// <summary>Bytes per element.</summary>
    public static int Size(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 or TensorDType.Int32 or TensorDType.UInt32 => 4,
        TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Int16 or TensorDType.UInt16 => 2,
        TensorDType.Float64 or TensorDType.Int64 or TensorDType.UInt64 => 8,
        TensorDType.Float8E4M3 or TensorDType.Float8E5M2 or TensorDType.Int8 or TensorDType.UInt8 or TensorDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The name in a safetensors header (<c>"F32"</c>, …).</summary>
    public static string SafetensorsName(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "F32",
        TensorDType.Float16 => "F16",
        TensorDType.BFloat16 => "BF16",
        TensorDType.Float64 => "F64",
        TensorDType.Float8E4M3 => "F8_E4M3",
        TensorDType.Float8E5M2 => "F8_E5M2",
        TensorDType.Int8 => "I8",
        TensorDType.Int16 => "I16",
        TensorDType.Int32 => "I32",
        TensorDType.Int64 => "I64",
        TensorDType.UInt8 => "U8",
        TensorDType.UInt16 => "U16",
        TensorDType.UInt32 => "U32",
        TensorDType.UInt64 => "U64",
        TensorDType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>Parses a safetensors dtype name; false for names this reader does not know or cannot convert.</summary>
    public static bool TryParseSafetensorsName(string name, out TensorDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = TensorDType.Float32; return true;
            case "F16": dtype = TensorDType.Float16; return true;
            case "BF16": dtype = TensorDType.BFloat16; return true;
            case "F64": dtype = TensorDType.Float64; return true;
            case "F8_E4M3": dtype = TensorDType.Float8E4M3; return true;
            case "F8_E5M2": dtype = TensorDType.Float8E5M2; return true;
            case "I8": dtype = TensorDType.Int8; return true;
            case "I16": dtype = TensorDType.Int16; return true;
            case "I32": dtype = TensorDType.Int32; return true;
            case "I64": dtype = TensorDType.Int64; return true;
            case "U8": dtype = TensorDType.UInt8; return true;
            case "U16": dtype = TensorDType.UInt16; return true;
            case "U32": dtype = TensorDType.UInt32; return true;
            case "U64": dtype = TensorDType.UInt64; return true;
            case "BOOL": dtype = TensorDType.Bool; return true;
            default: dtype = default; return false;
        }
    }
}
