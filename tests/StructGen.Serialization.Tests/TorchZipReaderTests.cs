using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using StructGen.Serialization.Tests.Formats;

namespace StructGen.Serialization.Tests;

public sealed class TorchZipReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(TorchSaveFile file, string name = "model.pt") => _dir.Write(name, file.Build());

    [Fact]
    public void Reads_an_ordered_state_dict_with_float32_float16_and_bfloat16()
    {
        var file = new TorchSaveFile()
            .AddFloatTensor("fc.weight", [2, 3], 1, 2, 3, 4, 5, 6)
            .AddFloatTensor("fc.bias", [2], -1, 0.5f)
            .AddStorage("2", "HalfStorage", [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00], 3) // 1, -2, smallest subnormal
            .AddTensor("h", "2", 0, [3], [1])
            .AddStorage("3", "BFloat16Storage", [0x80, 0x3F, 0x49, 0x40], 2) // 1, 3.140625
            .AddTensor("bf", "3", 0, [1, 2], [2, 1]);
        using Checkpoint c = Checkpoint.Open(Write(file));

        Assert.Equal(CheckpointFormat.TorchZip, c.Format);
        Assert.Equal(["fc.weight", "fc.bias", "h", "bf"], c.Keys.ToArray());
        Assert.Equal([2, 3], c["fc.weight"].Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], c["fc.weight"].ToFloatArray());
        Assert.Equal([-1f, 0.5f], c["fc.bias"].ToFloatArray());
        Assert.Equal(TensorDType.Float16, c["h"].DType);
        Assert.Equal([1f, -2f, MathF.Pow(2, -24)], c["h"].ToFloatArray());
        Assert.Equal(TensorDType.BFloat16, c["bf"].DType);
        Assert.Equal([1f, 3.140625f], c["bf"].ToFloatArray());
        Assert.Empty(c.Metadata);
    }

    [Fact]
    public void Tensors_sharing_one_storage_read_their_own_parts()
    {
        // One storage of 10 floats; a is [0..6) as [2,3], b is [6..10) as [4], c is a again (same storage, offset 0).
        var file = new TorchSaveFile()
            .AddFloatStorage("0", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
            .AddTensor("a", "0", 0, [2, 3], [3, 1])
            .AddTensor("b", "0", 6, [4], [1])
            .AddTensor("c", "0", 0, [6], [1]);
        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(Write(file));
        Assert.Equal([0f, 1, 2, 3, 4, 5], v["a"]);
        Assert.Equal([6f, 7, 8, 9], v["b"]);
        Assert.Equal([0f, 1, 2, 3, 4, 5], v["c"]);
    }

    [Fact]
    public void Non_contiguous_views_are_materialized_in_row_major_order()
    {
        // storage = 0..11; w = [[0,1,2,3],[4,5,6,7],[8,9,10,11]]
        var file = new TorchSaveFile()
            .AddFloatStorage("0", Enumerable.Range(0, 12).Select(i => (float)i).ToArray())
            .AddTensor("transposed", "0", 0, [4, 3], [1, 4])         // w.t()
            .AddTensor("column", "0", 1, [3], [4])                   // w[:, 1]
            .AddTensor("stepped", "0", 1, [2, 2], [8, 2])            // w[::2, 1::2]
            .AddTensor("expanded", "0", 4, [3, 2], [0, 1])           // w[1, :2].expand(3, 2)
            .AddTensor("permuted", "0", 0, [2, 3, 2], [1, 4, 2])     // w.view(3,2,2).permute(2,0,1)
            .AddTensor("scalar", "0", 11, [], []);
        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(Write(file));
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], v["transposed"]);
        Assert.Equal([1f, 5, 9], v["column"]);
        Assert.Equal([1f, 3, 9, 11], v["stepped"]);
        Assert.Equal([4f, 5, 4, 5, 4, 5], v["expanded"]);
        Assert.Equal([0f, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11], v["permuted"]);
        Assert.Equal([11f], v["scalar"]);
    }

    [Fact]
    public void Plain_dict_parameters_nested_dicts_and_lists_are_named_by_path()
    {
        var file = new TorchSaveFile { Ordered = false }
            .AddFloatStorage("0", 1, 2)
            .Add("epoch", 7)
            .Add("name", "run-3")
            .Add("lr", 0.001)
            .Add("model", new Dictionary<string, object>
            {
                ["w"] = new TorchSaveFile.Tensor("0", 0, [2], [1], Parameter: true),
                ["inner"] = new Dictionary<string, object> { ["b"] = new TorchSaveFile.Tensor("0", 1, [1], [1]) },
            })
            .Add("history", new List<object> { 1, new TorchSaveFile.Tensor("0", 0, [1], [1]) });
        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(Write(file));
        Assert.Equal(["model.w", "model.inner.b", "history.1"], v.Keys.ToArray());
        Assert.Equal([1f, 2], v["model.w"]);
        Assert.Equal([2f], v["model.inner.b"]);
    }

    [Fact]
    public void A_single_item_dict_uses_setitem_and_loads()
    {
        var file = new TorchSaveFile { Ordered = false }.AddFloatTensor("only", [1], 3f);
        Assert.Equal([3f], CheckpointAssert.ReadAll(Write(file))["only"]);
    }

    [Fact]
    public void Big_endian_archives_are_byte_swapped()
    {
        var file = new TorchSaveFile { ByteOrder = "big" }
            .AddStorage("0", "FloatStorage", TorchSaveFile.BigEndianFloats(1.5f, -2f), 2)
            .AddTensor("w", "0", 0, [2], [1])
            .AddStorage("1", "HalfStorage", [0x3C, 0x00], 1)
            .AddTensor("h", "1", 0, [1], [1]);
        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(Write(file));
        Assert.Equal([1.5f, -2f], v["w"]);
        Assert.Equal([1f], v["h"]);
    }

    [Fact]
    public void Older_archives_without_byteorder_and_any_archive_name_load()
    {
        var file = new TorchSaveFile { ByteOrder = null, ArchiveName = "my_model", Version = null }.AddFloatTensor("w", [1], 4f);
        Assert.Equal([4f], CheckpointAssert.ReadAll(Write(file))["w"]);
    }

    [Fact]
    public void Integer_storages_load_as_float()
    {
        var file = new TorchSaveFile()
            .AddStorage("0", "LongStorage", BitConverter.GetBytes(123L), 1)
            .AddTensor("bn.num_batches_tracked", "0", 0, [], []);
        Assert.Equal([123f], CheckpointAssert.ReadAll(Write(file))["bn.num_batches_tracked"]);
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("__builtin__", "getattr")]
    [InlineData("torch", "load")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    [InlineData("torch._utils", "_rebuild_tensor")]
    public void Unknown_globals_are_refused_by_name(string module, string name)
    {
        var p = new PickleWriter().Proto(2);
        p.Global(module, name);
        p.Put();
        p.Unicode("echo pwned").Tuple1().Reduce().Stop();
        var file = new TorchSaveFile { PickleOverride = p.ToArray() };
        InvalidDataException e = CheckpointAssert.Refuses(Write(file), $"global '{module}.{name}' is not allowed");
        Assert.Contains("never imports or runs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_globals_via_stack_global_are_refused_by_name()
    {
        var p = new PickleWriter().Proto(4);
        p.ShortUnicode("subprocess").Memoize().ShortUnicode("Popen").Memoize().StackGlobal().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = p.ToArray() }), "global 'subprocess.Popen' is not allowed");
    }

    [Fact]
    public void Object_building_opcodes_are_refused()
    {
        var p = new PickleWriter().Proto(2);
        p.Global("collections", "OrderedDict");
        p.EmptyTuple().Byte(0x81).Stop(); // NEWOBJ
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = p.ToArray() }), "opcode 0x81");

        var q = new PickleWriter().Proto(2).Op('i').Bytes("os\nsystem\n"u8).Stop(); // INST
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = q.ToArray() }, "inst.pt"), "opcode 0x69 ('i')");
    }

    [Fact]
    public void Storage_types_are_not_callable_and_callables_need_the_right_arguments()
    {
        var p = new PickleWriter().Proto(2);
        p.Global("torch", "FloatStorage");
        p.EmptyTuple().Reduce().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = p.ToArray() }), "not callable");

        var q = new PickleWriter().Proto(2);
        q.Global("torch._utils", "_rebuild_tensor_v2");
        q.Int(1).Int(2).Tuple2().Reduce().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = q.ToArray() }, "args.pt"), "_rebuild_tensor_v2 expects");
    }

    [Fact]
    public void Legacy_torch_save_format_gets_a_resave_message()
    {
        // What torch.save(obj, f, _use_new_zipfile_serialization=False) writes first: PROTO 2, LONG1 magic number, …
        byte[] legacy = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e, 0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e];
        InvalidDataException e = CheckpointAssert.Refuses(_dir.Write("old.pt", legacy), "legacy torch.save format");
        Assert.Contains("torch.save(", e.Message, StringComparison.Ordinal);
        Assert.Contains("_use_new_zipfile_serialization=True", e.Message, StringComparison.Ordinal);
        Assert.Contains("safetensors", e.Message, StringComparison.Ordinal);

        CheckpointAssert.Refuses(_dir.Write("bare.pkl", new PickleWriter().Proto(2).EmptyDict().Stop().ToArray()), "bare Python pickle");
    }

    [Fact]
    public void Archive_level_problems_are_refused()
    {
        CheckpointAssert.Refuses(_dir.Write("nodata.pt", new ZipBytes().Add("archive/other", [1]).Build()), "no '<archive>/data.pkl'");
        CheckpointAssert.Refuses(
            _dir.Write("script.pt", new ZipBytes().Add("m/code/__torch__.py", [1]).Add("m/constants.pkl", [1]).Build()),
            "TorchScript");
        CheckpointAssert.Refuses(
            _dir.Write("two.pt", new ZipBytes().Add("a/data.pkl", [0x2e]).Add("b/data.pkl", [0x2e]).Build()),
            "two archives");
        CheckpointAssert.Refuses(
            _dir.Write("dup.pt", new ZipBytes().Add("a/data.pkl", [0x2e]).Add("a/data.pkl", [0x2e]).Build()),
            "two entries named");

        var byteOrder = new TorchSaveFile { ByteOrder = "middle" }.AddFloatTensor("w", [1], 1);
        CheckpointAssert.Refuses(Write(byteOrder, "bo.pt"), "'middle'");
    }

    [Fact]
    public void Storage_problems_are_refused()
    {
        var missing = new TorchSaveFile().AddFloatTensor("w", [2], 1, 2);
        missing.ExtraEntries.Add(new("archive/data/0-renamed", new byte[8]));
        missing.ExtraEntries.Add(new("archive/data/0", new byte[4])); // replaces: 4 bytes for numel 2
        CheckpointAssert.Refuses(Write(missing, "size.pt"), "declares 2 elements");

        var absent = new TorchSaveFile { PickleOverride = new TorchSaveFile().AddFloatStorage("7", 1).AddTensor("w", "7", 0, [1], [1]).BuildPickle() };
        CheckpointAssert.Refuses(Write(absent, "absent.pt"), "missing from the zip");

        var outOfRange = new TorchSaveFile().AddFloatStorage("0", 1, 2, 3).AddTensor("w", "0", 1, [2, 2], [2, 1]);
        CheckpointAssert.Refuses(Write(outOfRange, "range.pt"), "reaches element 4");

        var badStride = new TorchSaveFile().AddFloatStorage("0", 1, 2, 3).AddTensor("w", "0", 0, [2], [-1]);
        CheckpointAssert.Refuses(Write(badStride, "stride.pt"), "negative stride");

        var rankMismatch = new TorchSaveFile().AddFloatStorage("0", 1, 2, 3).AddTensor("w", "0", 0, [3], [1, 1]);
        CheckpointAssert.Refuses(Write(rankMismatch, "rank.pt"), "1 sizes but 2 strides");

        var amplified = new TorchSaveFile().AddFloatStorage("0", 1).AddTensor("w", "0", 0, [1 << 20, 1 << 10], [0, 0]);
        CheckpointAssert.Refuses(Write(amplified, "amp.pt"), "repeated elements are refused");

        var conflicting = new TorchSaveFile().AddFloatStorage("0", 1, 2).AddTensor("w", "0", 0, [2], [1]);
        byte[] pickle = conflicting.BuildPickle();
        var twice = new TorchSaveFile().AddFloatStorage("0", 1, 2).AddTensor("a", "0", 0, [2], [1]).AddStorage("1", "HalfStorage", new byte[4], 2).AddTensor("b", "1", 0, [2], [1]);
        byte[] twicePickle = twice.BuildPickle();
        // rename storage key '1' to '0' in the pickle: the same record is then named as float32 and as float16
        byte[] renamed = Replace(twicePickle, "X\u0001\0\0\0" + "1", "X\u0001\0\0\0" + "0");
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = renamed }.AddFloatStorage("0", 1, 2), "conflict.pt"), "is named as");
        Assert.NotEmpty(pickle);
    }

    [Fact]
    public void Corrupted_or_lying_zip_entries_are_refused()
    {
        var crc = new TorchSaveFile().AddFloatTensor("w", [2], 1, 2);
        crc.ExtraEntries.Add(new("archive/data/0", Floats(1, 2), Crc: 0xDEADBEEF));
        CheckpointAssert.Refuses(Write(crc, "crc.pt"), "CRC-32");

        var pickleCrc = new TorchSaveFile().AddFloatTensor("w", [2], 1, 2);
        pickleCrc.ExtraEntries.Add(new("archive/data.pkl", pickleCrc.BuildPickle(), Crc: 1));
        CheckpointAssert.Refuses(Write(pickleCrc, "pcrc.pt"), "CRC-32");

        // A deflated entry that inflates past the size it declares (the shape of a zip bomb).
        var bomb = new TorchSaveFile().AddFloatTensor("w", [2], 1, 2);
        bomb.ExtraEntries.Add(new("archive/data.pkl", new byte[1 << 20], Deflate: true, DeclaredLength: 16));
        CheckpointAssert.Refuses(Write(bomb, "bomb.pt"), "archive/data.pkl");

        // Declaring far more than deflate could produce from the compressed bytes.
        // The pickle agrees with the lie (numel matches the declared size), so it surfaces when the data is read.
        var liar = new TorchSaveFile().AddStorage("0", "FloatStorage", Floats(1, 2), 0x7FFFFFF0 / 4).AddTensor("w", "0", 0, [2], [1]);
        liar.ExtraEntries.Add(new("archive/data/0", Floats(1, 2), Deflate: true, DeclaredLength: 0x7FFFFFF0));
        CheckpointAssert.Refuses(Write(liar, "liar.pt"), "zip bomb");

        byte[] whole = new TorchSaveFile().AddFloatTensor("w", [2], 1, 2).Build();
        CheckpointAssert.Refuses(_dir.Write("cut.pt", whole.AsSpan(0, whole.Length / 2).ToArray()), "Cannot open checkpoint");
    }

    [Fact]
    public void Structural_pickle_problems_are_refused()
    {
        // A list that contains itself: [L] where L is the list.
        var cycle = new PickleWriter().Proto(2).EmptyDict();
        cycle.Put();
        cycle.Unicode("x").EmptyList();
        int list = cycle.Put();
        cycle.Get(list).Append().SetItem().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = cycle.ToArray() }, "cycle.pt"), "contains itself");

        // 100 nested lists.
        var deep = new PickleWriter().Proto(2).EmptyDict().Unicode("x");
        for (int i = 0; i < 100; i++)
        {
            deep.EmptyList();
        }
        for (int i = 0; i < 99; i++)
        {
            deep.Append();
        }
        deep.SetItem().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = deep.ToArray() }, "deep.pt"), "nest more than 64");

        // Shared sublists doubling 40 times over one tensor: 2^40 paths to name, refused instead of walked.
        var dag = new PickleWriter().Proto(2).EmptyDict().Unicode("x").Mark().Bytes(StripToTensor(new TorchSaveFile())).Op('l');
        for (int i = 0; i < 40; i++)
        {
            int index = dag.Put();
            dag.Op('0').Mark().Get(index).Get(index).Op('l');
        }
        dag.SetItem().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = dag.ToArray() }.AddFloatStorage("0", 1), "dag.pt"), "more than 262144 tensors");

        // The same without a tensor: every shared list is walked once, then skipped.
        var barren = new PickleWriter().Proto(2).EmptyDict().Unicode("x").EmptyList();
        for (int i = 0; i < 40; i++)
        {
            int index = barren.Put();
            barren.Op('0').Mark().Get(index).Get(index).Op('l');
        }
        barren.SetItem().Stop();
        Assert.Empty(CheckpointAssert.ReadAll(Write(new TorchSaveFile { PickleOverride = barren.ToArray() }, "barren.pt")));

        var noStop = new PickleWriter().Proto(2).EmptyDict();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = noStop.ToArray() }, "nostop.pt"), "ends early");

        var trailing = new PickleWriter().Proto(2).EmptyDict().Stop().Byte(0);
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = trailing.ToArray() }, "trailing.pt"), "follow STOP");

        var underflow = new PickleWriter().Proto(2).Mark().Op('s').Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = underflow.ToArray() }, "underflow.pt"), "underflow");

        var badGet = new PickleWriter().Proto(2).Get(9).Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = badGet.ToArray() }, "get.pt"), "memo entry 9");

        var tensorRoot = new TorchSaveFile().AddFloatStorage("0", 1);
        byte[] rootPickle = new PickleWriter().Proto(2).Bytes(StripToTensor(tensorRoot)).Stop().ToArray();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = rootPickle }.AddFloatStorage("0", 1), "root.pt"), "single tensor");

        var listRoot = new PickleWriter().Proto(2).EmptyList().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = listRoot.ToArray() }, "list.pt"), "not a dict of tensors");

        var tupleKey = new PickleWriter().Proto(2).EmptyDict().EmptyTuple().Int(1).SetItem().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = tupleKey.ToArray() }, "key.pt"), "dict key is a tuple");

        var badUtf8 = new PickleWriter().Proto(2).EmptyDict().Op('X').Bytes([1, 0, 0, 0, 0xFF]).Int(1).SetItem().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = badUtf8.ToArray() }, "utf8.pt"), "not valid UTF-8");

        var hugeString = new PickleWriter().Proto(2).Op('X').Bytes([0xFF, 0xFF, 0xFF, 0x7F]).Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = hugeString.ToArray() }, "len.pt"), "runs past the end");

        var protocol = new PickleWriter().Proto(9).EmptyDict().Stop();
        CheckpointAssert.Refuses(Write(new TorchSaveFile { PickleOverride = protocol.ToArray() }, "proto.pt"), "protocol 9");
    }

    [Fact]
    public void Reading_a_corrupted_storage_names_the_tensor_and_file()
    {
        var file = new TorchSaveFile().AddFloatTensor("good", [1], 1).AddFloatTensor("bad", [2], 1, 2);
        file.ExtraEntries.Add(new("archive/data/1", Floats(1, 2), Crc: 7));
        string path = Write(file);
        using Checkpoint c = Checkpoint.Open(path); // structure is fine; the data is checked when read
        Assert.Equal([1f], c["good"].ToFloatArray());
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => c["bad"].ToFloatArray());
        Assert.Contains("tensor 'bad'", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(path), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensors_can_be_read_from_several_threads_at_once()
    {
        var file = new TorchSaveFile();
        for (int i = 0; i < 16; i++)
        {
            file.AddFloatTensor($"t{i}", [64, 8], Enumerable.Range(0, 512).Select(j => (float)(i * 1000 + j)).ToArray());
        }
        string torchPath = Write(file);
        var st = new SafetensorsBytes();
        for (int i = 0; i < 16; i++)
        {
            st.F32($"t{i}", [64, 8], Enumerable.Range(0, 512).Select(j => (float)(i * 1000 + j)).ToArray());
        }
        string stPath = _dir.Write("m.safetensors", st.Build());

        foreach (string path in new[] { torchPath, stPath })
        {
            using Checkpoint c = Checkpoint.Open(path);
            System.Threading.Tasks.Parallel.For(0, 400, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
            {
                int i = k % 16;
                float[] v = c[$"t{i}"].ToFloatArray();
                Assert.Equal(i * 1000f, v[0]);
                Assert.Equal(i * 1000f + 511, v[511]);
            });
        }
    }

    internal static byte[] Floats(params float[] values) => values.SelectMany(v => BitConverter.GetBytes(v)).ToArray();

    private static byte[] Replace(byte[] haystack, string from, string to)
    {
        byte[] a = Encoding.Latin1.GetBytes(from), b = Encoding.Latin1.GetBytes(to);
        int at = haystack.AsSpan().IndexOf(a);
        Assert.True(at >= 0);
        at = haystack.AsSpan(at + 1).IndexOf(a) + at + 1; // second occurrence: the 'b' tensor's key
        return [.. haystack.AsSpan(0, at), .. b, .. haystack.AsSpan(at + a.Length)];
    }

    /// <summary>The opcodes of one tensor value (without PROTO/dict/STOP), taken from a one-tensor state dict's pickle.</summary>
    private static byte[] StripToTensor(TorchSaveFile file)
    {
        byte[] full = new TorchSaveFile { Ordered = false }.AddFloatStorage("0", 1).AddTensor("t", "0", 0, [1], [1]).BuildPickle();
        // PROTO(2) EMPTY_DICT BINPUT 0 X "t" BINPUT 1 … SETITEM STOP
        int start = 2 + 1 + 2 + 6 + 2;
        Assert.NotNull(file);
        return full.AsSpan(start, full.Length - start - 2).ToArray();
    }
}
