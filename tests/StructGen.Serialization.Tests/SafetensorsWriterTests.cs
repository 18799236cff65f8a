using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using StructGen.Serialization.Tests.Formats;

namespace StructGen.Serialization.Tests;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Save_writes_the_layout_pytorch_reads()
    {
        string path = _dir.File("out.safetensors");
        Checkpoint.Save(path, new Dictionary<string, CheckpointTensor>
        {
            ["b"] = new([1f, 2f], 2),
            ["é"] = new([9f], 1),
            ["a"] = new([3f, 4f, 5f], 1, 3),
            ["Z"] = new([7f]),
        }, new Dictionary<string, string> { ["format"] = "pt" });

        byte[] file = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, (8 + n) % 8);                                   // data starts 8-byte aligned
        string header = Encoding.UTF8.GetString(file, 8, (int)n);
        Assert.Equal(header.TrimEnd(' ').Length + (header.Length - header.TrimEnd(' ').Length), header.Length);
        Assert.EndsWith("}", header.TrimEnd(' '), StringComparison.Ordinal); // padded with spaces only

        using JsonDocument json = JsonDocument.Parse(header);
        string[] keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["__metadata__", "Z", "a", "b", "é"], keys);        // metadata, then names in byte order
        Assert.Equal("pt", json.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        JsonElement a = json.RootElement.GetProperty("a");
        Assert.Equal("F32", a.GetProperty("dtype").GetString());
        Assert.Equal([1, 3], a.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([4L, 16L], a.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Empty(json.RootElement.GetProperty("Z").GetProperty("shape").EnumerateArray());

        float[] data = Enumerable.Range(0, (file.Length - 8 - (int)n) / 4)
            .Select(i => BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(8 + (int)n + 4 * i))).ToArray();
        Assert.Equal([7f, 3f, 4f, 5f, 1f, 2f, 9f], data);
    }

    [Fact]
    public void Round_trip_is_bit_exact_for_every_special_value()
    {
        float[] specials =
        [
            0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, 1e-40f, float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity,
            BitConverter.Int32BitsToSingle(0x7FC00001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFFFFFFF)),
            BitConverter.Int32BitsToSingle(0x7F800001), MathF.PI,
        ];
        string path = _dir.File("rt.safetensors");
        Checkpoint.Save(path, [new("x", new CheckpointTensor(specials, 3, 5))]);
        using Checkpoint c = Checkpoint.Open(path);
        float[] back = c["x"].ToFloatArray();
        Assert.Equal([3, 5], c["x"].Shape);
        Assert.Equal(specials.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Resaving_a_half_precision_checkpoint_writes_float32()
    {
        string half = _dir.Write("h.safetensors", new SafetensorsBytes().Tensor("h", "F16", [2], [0x00, 0x3C, 0x00, 0xC4]).Build());
        string out32 = _dir.File("f.safetensors");
        using (Checkpoint c = Checkpoint.Open(half))
        {
            Checkpoint.Save(out32, c);
        }
        using Checkpoint back = Checkpoint.Open(out32);
        Assert.Equal(TensorDType.Float32, back["h"].DType);
        Assert.Equal([1f, -4f], back["h"].ToFloatArray());
    }

    [Fact]
    public void Overwriting_the_file_a_checkpoint_was_read_from_works()
    {
        string path = _dir.Write("same.safetensors", new SafetensorsBytes().F32("w", [2], 1, 2).F32("v", [1], 3).Build());
        using (Checkpoint c = Checkpoint.Open(path))
        {
            Checkpoint.Save(path, c.Where(p => p.Key == "w"));
        }
        Assert.Equal(["w"], CheckpointAssert.ReadAll(path).Keys);
    }

    [Fact]
    public void Invalid_names_are_refused_before_anything_is_written()
    {
        string path = _dir.Write("keep.safetensors", [1, 2, 3]);
        var t = new CheckpointTensor([1f], 1);
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, [new("a", t), new("a", t)]));
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, [new("__metadata__", t)]));
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, [new("bad\uD800", t)]));
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, [new("a", t)], new Dictionary<string, string> { ["k"] = null! }));
        Assert.Throws<ArgumentException>(() => new CheckpointTensor([1f, 2f], 3));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Save_leaves_no_temporary_file_and_replaces_the_old_one()
    {
        string path = _dir.Write("m.safetensors", [0xAA]);
        Checkpoint.Save(path, [new("w", new CheckpointTensor([5f], 1))]);
        Assert.Equal(["m.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
        Assert.Equal([5f], CheckpointAssert.ReadAll(path)["w"]);
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_old_file_intact_and_no_temporary_file()
    {
        // The tensors come from a file that is cut short after it was opened: the header is written, then
        // reading the data fails halfway through the new file.
        string source = _dir.Write("source.safetensors", new SafetensorsBytes().F32("a", [2], 1, 2).F32("b", [2], 3, 4).Build());
        string target = _dir.Write("target.safetensors", new SafetensorsBytes().F32("old", [1], 42).Build());
        byte[] before = File.ReadAllBytes(target);

        using (Checkpoint c = Checkpoint.Open(source))
        {
            using (var f = new FileStream(source, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                f.SetLength(f.Length - 4); // 'b' loses its last float
            }
            Assert.Throws<InvalidDataException>(() => Checkpoint.Save(target, c));
        }

        Assert.Equal(before, File.ReadAllBytes(target));
        Assert.Equal(["source.safetensors", "target.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_read_only_folder_fails_the_save_and_keeps_the_old_file_when_permissions_apply()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        string folder = Path.Combine(_dir.Path, "ro");
        Directory.CreateDirectory(folder);
        string target = Path.Combine(folder, "m.safetensors");
        File.WriteAllBytes(target, [7, 7, 7]);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            if (CanCreateFileIn(folder))
            {
                return; // running as root: permissions are not enforced, the mid-write test above covers the failure path
            }
            Assert.Throws<UnauthorizedAccessException>(() => Checkpoint.Save(target, [new("w", new CheckpointTensor([1f], 1))]));
            Assert.Equal([7, 7, 7], File.ReadAllBytes(target));
            Assert.Equal(["m.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool CanCreateFileIn(string folder)
    {
        string probe = Path.Combine(folder, ".probe");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
