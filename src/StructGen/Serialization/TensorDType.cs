namespace StructGen.Serialization;

/// <summary>
/// Element type of a tensor stored in a checkpoint. Every type listed here can be read as <see cref="float"/>;
/// <see cref="CheckpointTensor"/> converts on read (exactly for the floating-point types, which all fit in
/// <see cref="float"/>; integers beyond ±2²⁴ round to the nearest <see cref="float"/>).
/// </summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32 (safetensors <c>F32</c>, <c>torch.float32</c>).</summary>
    Float32,

    /// <summary>IEEE 754 binary16 (safetensors <c>F16</c>, <c>torch.float16</c>).</summary>
    Float16,

    /// <summary>bfloat16: the top 16 bits of a binary32 (safetensors <c>BF16</c>, <c>torch.bfloat16</c>).</summary>
    BFloat16,

    /// <summary>IEEE 754 binary64 (safetensors <c>F64</c>, <c>torch.float64</c>); rounded to the nearest <see cref="float"/>.</summary>
    Float64,

    /// <summary>8-bit float, 4 exponent and 3 mantissa bits, no infinities (safetensors <c>F8_E4M3</c>, <c>torch.float8_e4m3fn</c>).</summary>
    Float8E4M3,

    /// <summary>8-bit float, 5 exponent and 2 mantissa bits (safetensors <c>F8_E5M2</c>, <c>torch.float8_e5m2</c>).</summary>
    Float8E5M2,

    /// <summary>Signed 8-bit integer (safetensors <c>I8</c>, <c>torch.int8</c>).</summary>
    Int8,

    /// <summary>Signed 16-bit integer (safetensors <c>I16</c>, <c>torch.int16</c>).</summary>
    Int16,

    /// <summary>Signed 32-bit integer (safetensors <c>I32</c>, <c>torch.int32</c>).</summary>
    Int32,

    /// <summary>Signed 64-bit integer (safetensors <c>I64</c>, <c>torch.int64</c>, e.g. BatchNorm's <c>num_batches_tracked</c>).</summary>
    Int64,

    /// <summary>Unsigned 8-bit integer (safetensors <c>U8</c>, <c>torch.uint8</c>).</summary>
    UInt8,

    /// <summary>Unsigned 16-bit integer (safetensors <c>U16</c>).</summary>
    UInt16,

    /// <summary>Unsigned 32-bit integer (safetensors <c>U32</c>).</summary>
    UInt32,

    /// <summary>Unsigned 64-bit integer (safetensors <c>U64</c>).</summary>
    UInt64,

    /// <summary>Boolean, one byte per element, read as 0 or 1 (safetensors <c>BOOL</c>, <c>torch.bool</c>).</summary>
    Bool,
}
