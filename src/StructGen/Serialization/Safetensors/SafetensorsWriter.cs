using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StructGen.Serialization.Safetensors;

/// <summary>
/// Writes float32 safetensors the way the reference implementation does: tensors sorted by name (its order
/// for tensors of one dtype), <c>__metadata__</c> first, the JSON header padded with spaces so the data starts
/// on an 8-byte boundary, then each tensor's bytes back to back, little-endian.
/// </summary>
internal static class SafetensorsWriter
{
    private const string MetadataKey = "__metadata__";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Copies the pairs into a list, refusing null or repeated names, null tensors and names that cannot be written as UTF-8.</summary>
    public static List<KeyValuePair<string, CheckpointTensor>> Validate(IEnumerable<KeyValuePair<string, CheckpointTensor>> tensors, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(tensors, parameterName);
        var list = new List<KeyValuePair<string, CheckpointTensor>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, CheckpointTensor> pair in tensors)
        {
            if (pair.Key is null)
            {
                throw new ArgumentException("A tensor name is null.", parameterName);
            }
            if (pair.Value is null)
            {
                throw new ArgumentException($"Tensor '{pair.Key}' is null.", parameterName);
            }
            if (pair.Key == MetadataKey)
            {
                throw new ArgumentException($"'{MetadataKey}' is reserved by safetensors and cannot name a tensor.", parameterName);
            }
            try
            {
                StrictUtf8.GetByteCount(pair.Key);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException($"Tensor name '{UntrustedText.Quote(pair.Key)}' is not valid Unicode (a lone surrogate).", parameterName, e);
            }
            if (!names.Add(pair.Key))
            {
                throw new ArgumentException($"Two tensors are named '{pair.Key}'.", parameterName);
            }
            list.Add(pair);
        }
        return list;
    }

    /// <summary>Refuses null metadata values and text that cannot be written as UTF-8.</summary>
    public static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata, string parameterName)
    {
        if (metadata is null)
        {
            return;
        }
        foreach (KeyValuePair<string, string> pair in metadata)
        {
            if (pair.Value is null)
            {
                throw new ArgumentException($"Metadata value '{pair.Key}' is null.", parameterName);
            }
            try
            {
                StrictUtf8.GetByteCount(pair.Key);
                StrictUtf8.GetByteCount(pair.Value);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException($"Metadata '{UntrustedText.Quote(pair.Key)}' is not valid Unicode (a lone surrogate).", parameterName, e);
            }
        }
    }

    public static void Write(Stream stream, List<KeyValuePair<string, CheckpointTensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var sorted = new List<KeyValuePair<string, CheckpointTensor>>(tensors);
        sorted.Sort((a, b) => CompareUtf8(a.Key, b.Key));

        byte[] header = Header(sorted, metadata);
        int padding = (8 - header.Length % 8) % 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(header.Length + padding));
        stream.Write(length);
        stream.Write(header);
        for (int i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        foreach (KeyValuePair<string, CheckpointTensor> pair in sorted)
        {
            float[] values = pair.Value.ToFloatArray();
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(values.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    private static byte[] Header(List<KeyValuePair<string, CheckpointTensor>> sorted, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false }))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject(MetadataKey);
                var keys = new List<string>(metadata.Keys);
                keys.Sort(CompareUtf8);
                foreach (string key in keys)
                {
                    json.WriteString(key, metadata[key]);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (KeyValuePair<string, CheckpointTensor> pair in sorted)
            {
                long bytes = checked(pair.Value.ElementCount * sizeof(float));
                json.WriteStartObject(pair.Key);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in pair.Value.Shape)
                {
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Orders names as their UTF-8 bytes compare (Rust's string order), which is code-point order.</summary>
    private static int CompareUtf8(string a, string b)
    {
        StringRuneEnumerator x = a.EnumerateRunes();
        StringRuneEnumerator y = b.EnumerateRunes();
        while (true)
        {
            bool hasX = x.MoveNext();
            bool hasY = y.MoveNext();
            if (!hasX || !hasY)
            {
                return hasX.CompareTo(hasY);
            }
            int c = x.Current.Value.CompareTo(y.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }
}
