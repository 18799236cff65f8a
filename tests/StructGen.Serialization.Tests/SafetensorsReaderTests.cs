using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using StructGen.Serialization.Tests.Formats;

namespace StructGen.Serialization.Tests;

public sealed class SafetensorsReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reads_f32_tensors_with_shapes_metadata_and_file_order()
    {
        byte[] file = new SafetensorsBytes()
            .Metadata("format", "pt")
            .F32("b", [2, 3], 1, 2, 3, 4, 5, 6)
            .F32("a", [], 7.5f)
            .F32("empty", [0, 4])
            .Build();
        string path = _dir.Write("m.safetensors", file);

        using Checkpoint c = Checkpoint.Open(path);
        Assert.Equal(CheckpointFormat.Safetensors, c.Format);
        Assert.Equal(Path.GetFullPath(path), c.Path);
        Assert.Equal("pt", c.Metadata["format"]);
        Assert.Equal(["b", "a", "empty"], c.Keys.ToArray());
        Assert.Equal([2, 3], c["b"].Shape);
        Assert.Equal(TensorDType.Float32, c["b"].DType);
        Assert.Equal([1f, 2, 3, 4, 5, 6], c["b"].ToFloatArray());
        Assert.Empty(c["a"].Shape);
        Assert.Equal([7.5f], c["a"].ToFloatArray());
        Assert.Equal(0, c["empty"].ElementCount);
        Assert.Empty(c["empty"].ToFloatArray());
        Span<float> into = stackalloc float[6];
        c["b"].CopyTo(into);
        Assert.Equal(6f, into[5]);
        Assert.Throws<ArgumentException>(() => c["b"].CopyTo(new float[5]));
    }

    [Fact]
    public void Every_float16_bit_pattern_converts_exactly()
    {
        byte[] data = new byte[65536 * 2];
        for (int bits = 0; bits < 65536; bits++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * bits), (ushort)bits);
        }
        string path = _dir.Write("h.safetensors", new SafetensorsBytes().Tensor("h", "F16", [65536], data).Build());

        float[] values = CheckpointAssert.ReadAll(path)["h"];
        for (int bits = 0; bits < 65536; bits++)
        {
            CheckpointAssert.BitsEqual(ExpectedHalf(bits), values[bits], $"for F16 0x{bits:x4}");
        }
    }

    [Fact]
    public void Every_bfloat16_bit_pattern_converts_exactly()
    {
        byte[] data = new byte[65536 * 2];
        for (int bits = 0; bits < 65536; bits++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * bits), (ushort)bits);
        }
        string path = _dir.Write("b.safetensors", new SafetensorsBytes().Tensor("b", "BF16", [256, 256], data).Build());

        using Checkpoint c = Checkpoint.Open(path);
        Assert.Equal(TensorDType.BFloat16, c["b"].DType);
        float[] values = c["b"].ToFloatArray();
        for (int bits = 0; bits < 65536; bits++)
        {
            CheckpointAssert.BitsEqual(ExpectedBFloat16(bits), values[bits], $"for BF16 0x{bits:x4}");
        }
    }

    [Fact]
    public void Every_float8_bit_pattern_converts_exactly()
    {
        byte[] all = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        string path = _dir.Write("f8.safetensors", new SafetensorsBytes()
            .Tensor("e4m3", "F8_E4M3", [256], all)
            .Tensor("e5m2", "F8_E5M2", [256], all)
            .Build());
        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(path);
        for (int b = 0; b < 256; b++)
        {
            CheckpointAssert.BitsEqual(ExpectedE4M3(b), v["e4m3"][b], $"for E4M3 0x{b:x2}");
            CheckpointAssert.BitsEqual(ExpectedHalf(b << 8), v["e5m2"][b], $"for E5M2 0x{b:x2}");
        }
        Assert.Equal(448f, v["e4m3"][0x7E]);
        Assert.Equal(57344f, v["e5m2"][0x7B]);
    }

    [Fact]
    public void Integer_bool_and_double_tensors_convert_to_float()
    {
        var i64 = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(i64, -3);
        BinaryPrimitives.WriteInt64LittleEndian(i64.AsSpan(8), 1L << 40);
        var f64 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.1);
        var i16 = new byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(i16, -300);
        string path = _dir.Write("ints.safetensors", new SafetensorsBytes()
            .Tensor("i64", "I64", [2], i64)
            .Tensor("f64", "F64", [1], f64)
            .Tensor("i16", "I16", [1], i16)
            .Tensor("i8", "I8", [2], [0xFF, 0x7F])
            .Tensor("u8", "U8", [1], [200])
            .Tensor("bool", "BOOL", [3], [0, 1, 2])
            .Build());
        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(path);
        Assert.Equal([-3f, 1099511627776f], v["i64"]);
        Assert.Equal([0.1f], v["f64"]);
        Assert.Equal([-300f], v["i16"]);
        Assert.Equal([-1f, 127f], v["i8"]);
        Assert.Equal([200f], v["u8"]);
        Assert.Equal([0f, 1f, 1f], v["bool"]);
    }

    [Fact]
    public void Format_is_chosen_by_content_not_extension()
    {
        string safetensorsAsPt = _dir.Write("model.pt", new SafetensorsBytes().F32("w", [1], 1f).Build());
        string torchAsSafetensors = _dir.Write("model.safetensors", new TorchSaveFile().AddFloatTensor("w", [1], 2f).Build());
        using (Checkpoint a = Checkpoint.Open(safetensorsAsPt))
        {
            Assert.Equal(CheckpointFormat.Safetensors, a.Format);
        }
        using (Checkpoint b = Checkpoint.Open(torchAsSafetensors))
        {
            Assert.Equal(CheckpointFormat.TorchZip, b.Format);
            Assert.Equal([2f], b["w"].ToFloatArray());
        }
    }

    public static TheoryData<string, string, string> HostileHeaders()
    {
        string f32x1 = "\"dtype\":\"F32\",\"shape\":[1]";
        return new TheoryData<string, string, string>
        {
            // name, header JSON, expected message fragment (data buffer is 8 bytes)
            { "malformed JSON", "{\"a\":", "malformed" },
            { "trailing comma", $"{{\"a\":{{{f32x1},\"data_offsets\":[0,4]}},\"b\":{{{f32x1},\"data_offsets\":[4,8]}},}}", "malformed" },
            { "duplicate name", $"{{\"a\":{{{f32x1},\"data_offsets\":[0,4]}},\"a\":{{{f32x1},\"data_offsets\":[4,8]}}}}", "names 'a' twice" },
            { "missing dtype", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "has no 'dtype'" },
            { "unknown dtype", "{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype 'Q7'" },
            { "negative dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "shape[0]" },
            { "fractional dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", "shape[0]" },
            { "shape not array", "{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", "shape is a Number" },
            { "offsets reversed", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", "end before they begin" },
            { "offsets not a pair", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", "data_offsets must be" },
            { "offsets past end", "{\"a\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}}", "past the end" },
            { "overlap", $"{{\"a\":{{{f32x1},\"data_offsets\":[0,4]}},\"b\":{{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[2,6]}}}}", "overlap" },
            { "gap", $"{{\"a\":{{{f32x1},\"data_offsets\":[4,8]}}}}", "belong to no tensor" },
            { "not covering", $"{{\"a\":{{{f32x1},\"data_offsets\":[0,4]}}}}", "belong to no tensor" },
            { "byte count vs shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "takes 12 bytes" },
            { "byte count vs dtype", "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", "takes 4 bytes" },
            { "unexpected field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"stride\":[1]}}", "unexpected field 'stride'" },
            { "entry not object", "{\"a\":[1,2]}", "not an object" },
            { "metadata not strings", "{\"__metadata__\":{\"epoch\":3},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "only strings" },
            { "metadata not object", "{\"__metadata__\":[],\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "__metadata__ must be" },
            { "deep nesting", "{\"__metadata__\":" + new string('[', 5000) + new string(']', 5000) + "}", "malformed" },
            { "huge shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", "too many elements" },
        };
    }

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void Hostile_headers_are_refused_with_the_file_and_the_problem(string name, string header, string fragment)
    {
        string path = _dir.Write(name.Replace(' ', '_') + ".safetensors", SafetensorsBytes.Assemble(header, new byte[8]));
        CheckpointAssert.Refuses(path, fragment);
    }

    [Fact]
    public void Header_length_past_the_end_of_the_file_is_refused()
    {
        byte[] file = SafetensorsBytes.Assemble("{}", []);
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);
        CheckpointAssert.Refuses(_dir.Write("long.safetensors", file), "runs past the end of the file");

        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        CheckpointAssert.Refuses(_dir.Write("huge.safetensors", file), "more than the 100000000");
    }

    [Fact]
    public void Invalid_utf8_in_the_header_is_refused()
    {
        byte[] file = SafetensorsBytes.Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        file[10] = 0xFF; // inside the name "a"
        CheckpointAssert.Refuses(_dir.Write("utf8.safetensors", file), "malformed");
    }

    [Fact]
    public void Short_and_unknown_files_are_refused()
    {
        CheckpointAssert.Refuses(_dir.Write("empty.bin", []), "too short");
        CheckpointAssert.Refuses(_dir.Write("five.bin", [1, 2, 3, 4, 5]), "too short");
        CheckpointAssert.Refuses(_dir.Write("gguf.bin", "GGUF\u0003\0\0\0\0\0\0\0\0\0\0\0"u8.ToArray()), "neither safetensors");
    }

    [Fact]
    public void A_file_truncated_after_opening_fails_on_read_with_the_tensor_named()
    {
        string path = _dir.Write("t.safetensors", new SafetensorsBytes().F32("w", [4], 1, 2, 3, 4).Build());
        using Checkpoint c = Checkpoint.Open(path);
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            f.SetLength(f.Length - 6);
        }
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => c["w"].ToFloatArray());
        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(path), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_after_dispose_throws_ObjectDisposedException()
    {
        string path = _dir.Write("d.safetensors", new SafetensorsBytes().F32("w", [1], 1).Build());
        Checkpoint c = Checkpoint.Open(path);
        CheckpointTensor w = c["w"];
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => w.ToFloatArray());
    }

    [Fact]
    public void Missing_file_is_FileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Open(_dir.File("nope.safetensors")));
    }

    internal static float ExpectedHalf(int bits)
    {
        int sign = bits >> 15 & 1, exponent = bits >> 10 & 0x1F, mantissa = bits & 0x3FF;
        double magnitude = exponent == 0x1F
            ? (mantissa == 0 ? double.PositiveInfinity : double.NaN)
            : exponent == 0 ? mantissa * Math.Pow(2, -24) : (1024 + mantissa) * Math.Pow(2, exponent - 25);
        return (float)(sign == 1 ? -magnitude : magnitude);
    }

    private static float ExpectedBFloat16(int bits)
    {
        int sign = bits >> 15 & 1, exponent = bits >> 7 & 0xFF, mantissa = bits & 0x7F;
        double magnitude = exponent == 0xFF
            ? (mantissa == 0 ? double.PositiveInfinity : double.NaN)
            : exponent == 0 ? mantissa * Math.Pow(2, -133) : (128 + mantissa) * Math.Pow(2, exponent - 134);
        return (float)(sign == 1 ? -magnitude : magnitude);
    }

    private static float ExpectedE4M3(int bits)
    {
        int sign = bits >> 7 & 1, exponent = bits >> 3 & 0xF, mantissa = bits & 0x7;
        double magnitude = exponent == 0xF && mantissa == 7
            ? double.NaN
            : exponent == 0 ? mantissa * Math.Pow(2, -9) : (8 + mantissa) * Math.Pow(2, exponent - 10);
        return (float)(sign == 1 ? -magnitude : magnitude);
    }
}
