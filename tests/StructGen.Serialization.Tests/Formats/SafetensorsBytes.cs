using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace StructGen.Serialization.Tests.Formats;

/// <summary>
/// Test-side safetensors writer, straight from the format description: u64 little-endian header length,
/// the JSON header (written by hand here, not by the library's writer), the data buffer.
/// </summary>
internal sealed class SafetensorsBytes
{
    private readonly List<(string Name, string DType, int[] Shape, byte[] Data)> _tensors = [];
    private readonly List<(string Key, string Value)> _metadata = [];

    public SafetensorsBytes Tensor(string name, string dtype, int[] shape, byte[] data)
    {
        _tensors.Add((name, dtype, shape, data));
        return this;
    }

    public SafetensorsBytes F32(string name, int[] shape, params float[] values) =>
        Tensor(name, "F32", shape, values.SelectMany(v => LittleEndian(BitConverter.SingleToInt32Bits(v))).ToArray());

    public SafetensorsBytes Metadata(string key, string value)
    {
        _metadata.Add((key, value));
        return this;
    }

    /// <summary>The file: tensors laid out in the order added, header padded to 8 bytes.</summary>
    public byte[] Build()
    {
        var json = new StringBuilder("{");
        var parts = new List<string>();
        if (_metadata.Count > 0)
        {
            parts.Add("\"__metadata__\":{" + string.Join(",", _metadata.Select(m => $"{Json(m.Key)}:{Json(m.Value)}")) + "}");
        }
        long offset = 0;
        foreach (var t in _tensors)
        {
            parts.Add($"{Json(t.Name)}:{{\"dtype\":{Json(t.DType)},\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{offset},{offset + t.Data.Length}]}}");
            offset += t.Data.Length;
        }
        json.Append(string.Join(",", parts)).Append('}');
        return Assemble(json.ToString(), _tensors.SelectMany(t => t.Data).ToArray());
    }

    /// <summary>Any header text and data buffer, header padded with spaces to 8 bytes.</summary>
    public static byte[] Assemble(string header, byte[] data, bool pad = true)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        int padding = pad ? (8 - h.Length % 8) % 8 : 0;
        var file = new byte[8 + h.Length + padding + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)(h.Length + padding));
        h.CopyTo(file, 8);
        file.AsSpan(8 + h.Length, padding).Fill((byte)' ');
        data.CopyTo(file, 8 + h.Length + padding);
        return file;
    }

    public static byte[] LittleEndian(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return b;
    }

    private static string Json(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
