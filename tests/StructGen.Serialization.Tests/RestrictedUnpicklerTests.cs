using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Serialization.Tests.Formats;

namespace StructGen.Serialization.Tests;

/// <summary>
/// The unpickler through the public API: opcodes torch.save emits only for large state dicts, and the
/// protocol 3–4 and plain-data opcodes other writers use.
/// </summary>
public sealed class RestrictedUnpicklerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Large_state_dicts_use_long_memo_indices_and_several_setitems_batches()
    {
        var file = new TorchSaveFile();
        for (int i = 0; i < 1001; i++)
        {
            file.AddFloatTensor($"layers.{i}.weight", [1], i);
        }
        byte[] pickle = file.BuildPickle();
        Assert.Contains((byte)'r', pickle); // LONG_BINPUT
        Assert.Contains((byte)'j', pickle); // LONG_BINGET

        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(_dir.Write("big.pt", file.Build()));
        Assert.Equal(1001, v.Count);
        Assert.Equal([1000f], v["layers.1000.weight"]);
        Assert.Equal(Enumerable.Range(0, 1001).Select(i => $"layers.{i}.weight"), v.Keys);
    }

    [Fact]
    public void Protocol_4_opcodes_are_understood()
    {
        var tensorFile = new TorchSaveFile().AddFloatStorage("0", 1.5f, 2.5f);
        var p = new PickleWriter().Proto(4);
        p.Byte(0x95).Bytes(BitConverter.GetBytes(0L)); // FRAME (length not checked against content)
        p.ShortUnicode("collections").Memoize().ShortUnicode("OrderedDict").Memoize().StackGlobal().Memoize();
        p.EmptyTuple().Reduce().Memoize();
        p.Mark();
        p.Byte(0x8d).Bytes(BitConverter.GetBytes(1L)).Bytes("w"u8); // BINUNICODE8 'w'
        p.ShortUnicode("torch._utils").ShortUnicode("_rebuild_tensor_v2").StackGlobal();
        p.Mark().Mark();
        p.ShortUnicode("storage").ShortUnicode("torch").ShortUnicode("FloatStorage").StackGlobal().ShortUnicode("0").ShortUnicode("cpu").Int(2).Byte(0x95).Bytes(BitConverter.GetBytes(0L));
        p.Op('t').PersId();
        p.Int(0).Int(2).Tuple1().Int(1).Tuple1().False();
        p.ShortUnicode("collections").ShortUnicode("OrderedDict").StackGlobal().EmptyTuple().Reduce();
        p.Tuple().Reduce();
        p.SetItems().Stop();
        tensorFile.PickleOverride = p.ToArray();
        Assert.Equal([1.5f, 2.5f], CheckpointAssert.ReadAll(_dir.Write("p4.pt", tensorFile.Build()))["w"]);
    }

    [Fact]
    public void Plain_data_opcodes_build_values_that_are_skipped_around_tensors()
    {
        var file = new TorchSaveFile().AddFloatStorage("0", 4f);
        byte[] tensor = TensorOpcodes();
        var p = new PickleWriter().Proto(2);
        p.Mark();
        p.Unicode("big").Byte(0x8a).Byte(9).Bytes([0, 0, 0, 0, 0, 0, 0, 0, 0x80]);     // LONG1 -2^71
        p.Unicode("neg").Int(-5);                                                     // BININT
        p.Unicode("wide").Int(70000);                                                 // BININT2 is < 65536, so BININT
        p.Unicode("pi").Float(3.25);                                                  // BINFLOAT
        p.Unicode("none").None();
        p.Unicode("yes").True();
        p.Unicode("raw").Op('C').Byte(3).Bytes([1, 2, 3]);                            // SHORT_BINBYTES
        p.Unicode("raw4").Op('B').Bytes(BitConverter.GetBytes(2)).Bytes([4, 5]);     // BINBYTES
        p.Unicode("popped").Int(1).Int(2).Op('0');                                    // POP drops the 2
        p.Mark().Int(9).Int(9).Op('1');                                               // POP_MARK drops a whole group
        p.Unicode("list").Mark().Int(1).Bytes(tensor).Op('l');                         // LIST
        p.Unicode("appended").EmptyList().Bytes(tensor).Append();                    // APPEND
        p.Unicode(" ").Float(0.5);                                                    // odd key names are fine
        p.Op('d');                                                                    // DICT
        file.PickleOverride = p.Stop().ToArray();

        Dictionary<string, float[]> v = CheckpointAssert.ReadAll(_dir.Write("plain.pt", file.Build()));
        Assert.Equal(["list.1", "appended.0"], v.Keys);
        Assert.Equal([4f], v["list.1"]);
    }

    [Fact]
    public void A_repeated_dict_key_overwrites_in_place_as_in_python()
    {
        var file = new TorchSaveFile().AddFloatStorage("0", 4f);
        var p = new PickleWriter().Proto(2).EmptyDict().Mark();
        p.Unicode("w").Int(1).Unicode("v").Int(2).Unicode("w").Bytes(TensorOpcodes());
        file.PickleOverride = p.SetItems().Stop().ToArray();
        Assert.Equal(["w"], CheckpointAssert.ReadAll(_dir.Write("dup.pt", file.Build())).Keys);
    }

    [Fact]
    public void Int_keys_name_tensors_by_their_number()
    {
        var file = new TorchSaveFile().AddFloatStorage("0", 4f);
        var p = new PickleWriter().Proto(2).EmptyDict().Unicode("state").EmptyDict().Int(7).Bytes(TensorOpcodes()).SetItem().SetItem();
        file.PickleOverride = p.Stop().ToArray();
        Assert.Equal(["state.7"], CheckpointAssert.ReadAll(_dir.Write("int.pt", file.Build())).Keys);

        var floatKey = new TorchSaveFile().AddFloatStorage("0", 4f);
        floatKey.PickleOverride = new PickleWriter().Proto(2).EmptyDict().Float(1.5).Bytes(TensorOpcodes()).SetItem().Stop().ToArray();
        CheckpointAssert.Refuses(_dir.Write("float.pt", floatKey.Build()), "not a str or int");
    }

    /// <summary>A _rebuild_tensor_v2 call over storage '0' (one float), without memo opcodes, to splice into hand-made pickles.</summary>
    private static byte[] TensorOpcodes()
    {
        var p = new PickleWriter();
        p.Global("torch._utils", "_rebuild_tensor_v2");
        p.Mark().Mark().Unicode("storage").Global("torch", "FloatStorage");
        p.Unicode("0").Unicode("cpu").Int(1).Tuple().PersId();
        p.Int(0).Int(1).Tuple1().Int(1).Tuple1().False();
        p.Global("collections", "OrderedDict");
        p.EmptyTuple().Reduce().Tuple().Reduce();
        return p.ToArray();
    }
}
