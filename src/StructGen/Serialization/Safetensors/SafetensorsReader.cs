using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace StructGen.Serialization.Safetensors;

/// <summary>
/// Reads the safetensors layout: an 8-byte little-endian header length <c>N</c>, <c>N</c> bytes of JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}</c>),
/// then the data buffer. Everything is checked before a tensor is handed out: the header fits in the file,
/// the JSON is well formed with exactly the expected fields, no name repeats, each byte range has exactly the
/// bytes its dtype and shape need, and the ranges tile the buffer with no gap or overlap (as the reference
/// implementation requires).
/// </summary>
internal static class SafetensorsReader
{
    /// <summary>The reference implementation's limit on the header size.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Most dimensions a tensor may have.</summary>
    public const int MaxRank = 64;

    private const string MetadataKey = "__metadata__";

    public static Checkpoint Read(string path, FileStream stream)
    {
        SafeFileHandle file = stream.SafeFileHandle;
        long fileLength = RandomAccess.GetLength(file);

        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(file, lengthBytes, 0);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"the header length is {headerLength} bytes, more than the {MaxHeaderBytes} safetensors allows.");
        }
        if (8 + (long)headerLength > fileLength)
        {
            throw new InvalidDataException($"the header length is {headerLength} bytes, which runs past the end of the file ({fileLength} bytes).");
        }

        var header = new byte[headerLength];
        ReadExactly(file, header, 8);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        var entries = new List<Entry>();
        Dictionary<string, string>? metadata = null;
        ParseHeader(header, entries, ref metadata);
        CheckOffsets(entries, dataLength);

        var tensors = new List<KeyValuePair<string, CheckpointTensor>>(entries.Count);
        foreach (Entry e in entries)
        {
            var source = new SafetensorsTensorSource(file, path, e.Name, e.DType, dataStart + e.Begin);
            tensors.Add(new(e.Name, new CheckpointTensor(e.DType, e.Shape, e.ElementCount, source)));
        }
        return new Checkpoint(path, CheckpointFormat.Safetensors, tensors, metadata, stream);
    }

    private static void ParseHeader(byte[] header, List<Entry> entries, ref Dictionary<string, string>? metadata)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new InvalidDataException("the JSON header is malformed: it is not valid UTF-8.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the JSON header is malformed: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"the JSON header is a {root.ValueKind}, not an object.");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new InvalidDataException($"the header names '{UntrustedText.Quote(property.Name)}' twice.");
                }
                if (property.Name == MetadataKey)
                {
                    metadata = ParseMetadata(property.Value);
                }
                else
                {
                    entries.Add(ParseEntry(property.Name, property.Value, index));
                }
                index++;
            }
        }
    }

    private static Dictionary<string, string>? ParseMetadata(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"__metadata__ must be an object of strings, not a {value.ValueKind}.");
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"__metadata__ value '{UntrustedText.Quote(item.Name)}' is a {item.Value.ValueKind}; safetensors allows only strings.");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new InvalidDataException($"__metadata__ names '{UntrustedText.Quote(item.Name)}' twice.");
            }
        }
        return metadata;
    }

    private static Entry ParseEntry(string name, JsonElement value, int index)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}' is described by a {value.ValueKind}, not an object with dtype, shape and data_offsets.");
        }
        string? dtypeName = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeName is null:
                    dtypeName = field.Value.ValueKind == JsonValueKind.String
                        ? field.Value.GetString()!
                        : throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}': dtype is a {field.Value.ValueKind}, not a string.");
                    break;
                case "shape" when shape is null:
                    shape = ParseShape(name, field.Value);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ParseOffsets(name, field.Value);
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}' has '{field.Name}' twice.");
                default:
                    throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}' has an unexpected field '{UntrustedText.Quote(field.Name)}' (only dtype, shape and data_offsets are allowed).");
            }
        }
        if (dtypeName is null || shape is null || offsets is null)
        {
            string missing = dtypeName is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}' has no '{missing}'.");
        }
        if (!TensorDTypeInfo.TryParseSafetensorsName(dtypeName, out TensorDType dtype))
        {
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}' has dtype '{UntrustedText.Quote(dtypeName)}', which this reader does not read (it reads {TensorDTypeInfo.SupportedSafetensorsNames}).");
        }

        if (!TensorShape.TryCountElements(shape, out long count))
        {
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}' has shape {CheckpointTensor.ShapeText(shape)}, too many elements for any file.");
        }
        long bytes = count * dtype.Size();
        if (offsets[1] - offsets[0] != bytes)
        {
            throw new InvalidDataException(
                $"tensor '{UntrustedText.Quote(name)}' is {dtypeName} {CheckpointTensor.ShapeText(shape)}, which takes {bytes} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}.");
        }
        return new Entry(name, dtype, shape, count, offsets[0], offsets[1], index);
    }

    private static int[] ParseShape(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}': shape is a {value.ValueKind}, not an array.");
        }
        int rank = value.GetArrayLength();
        if (rank > MaxRank)
        {
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}' has {rank} dimensions; at most {MaxRank} are read.");
        }
        var shape = new int[rank];
        int i = 0;
        foreach (JsonElement d in value.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0 || v > int.MaxValue)
            {
                throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}': shape[{i}] is {Raw(d)}, not an integer in [0, {int.MaxValue}].");
            }
            shape[i++] = (int)v;
        }
        return shape;
    }

    private static long[] ParseOffsets(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}': data_offsets must be an array [begin, end], not {Raw(value)}.");
        }
        var offsets = new long[2];
        int i = 0;
        foreach (JsonElement o in value.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long v) || v < 0)
            {
                throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}': data_offsets[{i}] is {Raw(o)}, not a non-negative integer.");
            }
            offsets[i++] = v;
        }
        if (offsets[1] < offsets[0])
        {
            throw new InvalidDataException($"tensor '{UntrustedText.Quote(name)}': data_offsets [{offsets[0]}, {offsets[1]}] end before they begin.");
        }
        return offsets;
    }

    /// <summary>The byte ranges, in offset order, must start at 0, follow one another with no gap or overlap and end where the file ends.</summary>
    private static void CheckOffsets(List<Entry> entries, long dataLength)
    {
        var byOffset = new List<Entry>(entries);
        byOffset.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End != b.End ? a.End.CompareTo(b.End) : a.Index.CompareTo(b.Index));
        long cursor = 0;
        Entry? previous = null;
        foreach (Entry e in byOffset)
        {
            if (e.End > dataLength)
            {
                throw new InvalidDataException($"tensor '{UntrustedText.Quote(e.Name)}' has data_offsets [{e.Begin}, {e.End}], past the end of the {dataLength}-byte data buffer (is the file truncated?).");
            }
            if (e.Begin < cursor)
            {
                throw new InvalidDataException($"tensors '{UntrustedText.Quote(previous!.Name)}' and '{UntrustedText.Quote(e.Name)}' overlap: bytes [{e.Begin}, {cursor}) belong to both.");
            }
            if (e.Begin > cursor)
            {
                throw new InvalidDataException(previous is null
                    ? $"the data buffer's bytes [0, {e.Begin}) belong to no tensor (the first tensor, '{UntrustedText.Quote(e.Name)}', starts at {e.Begin})."
                    : $"the data buffer's bytes [{cursor}, {e.Begin}) between tensors '{UntrustedText.Quote(previous.Name)}' and '{UntrustedText.Quote(e.Name)}' belong to no tensor.");
            }
            cursor = e.End;
            previous = e;
        }
        if (cursor != dataLength)
        {
            throw new InvalidDataException($"the tensors cover {cursor} bytes but the data buffer holds {dataLength}: bytes [{cursor}, {dataLength}) belong to no tensor.");
        }
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> destination, long position)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = RandomAccess.Read(file, destination.Slice(total), position + total);
            if (read == 0)
            {
                throw new InvalidDataException($"the file ends at byte {position + total}, inside its header.");
            }
            total += read;
        }
    }

    private static string Raw(JsonElement e)
    {
        string text = e.GetRawText();
        return text.Length <= 40 ? text : text.Substring(0, 40) + "…";
    }

    private sealed record Entry(string Name, TensorDType DType, int[] Shape, long ElementCount, long Begin, long End, int Index);
}
