using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using StructGen.Serialization.Tests.Formats;

namespace StructGen.Serialization.Tests;

public sealed class StateDictTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static float[] Seq(int n, float start) => Enumerable.Range(0, n).Select(i => start + i).ToArray();

    [Fact]
    public void Loads_by_prefix_and_name_including_peft_linear_weight_keys()
    {
        // As PEFT saves an adapter: lora_A / lora_B are nn.Linear modules, so their keys end in ".weight".
        string path = _dir.Write("adapter.safetensors", new SafetensorsBytes()
            .F32("model.q.weight", [3, 4], Seq(12, 100))
            .F32("model.q.lora_A.weight", [2, 4], Seq(8, 200))
            .F32("model.q.lora_B.weight", [3, 2], Seq(6, 300))
            .F32("model.q.bias", [3], 1, 2, 3)
            .F32("model.k.weight", [1], 0) // another module: not under the prefix, so not unexpected
            .Build());
        var layer = FakeLayer.Adapter();

        using Checkpoint c = Checkpoint.Open(path);
        StateDictLoadResult result = layer.LoadStateDict(c, prefix: "model.q.", strict: true);

        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        Assert.Equal(Seq(12, 100), layer.Of("weight").ToArray());
        Assert.Equal(Seq(8, 200), layer.Of("lora_A").ToArray());
        Assert.Equal(Seq(6, 300), layer.Of("lora_B").ToArray());
        Assert.Equal([1f, 2, 3], layer.Of("bias").ToArray());
    }

    [Fact]
    public void Half_precision_tensors_are_converted_on_load()
    {
        var file = new TorchSaveFile()
            .AddStorage("0", "HalfStorage", [0x00, 0x3C, 0x00, 0x40, 0x00, 0x42], 3)   // 1, 2, 3
            .AddTensor("w", "0", 0, [3], [1])
            .AddStorage("1", "BFloat16Storage", [0x80, 0x3F, 0x80, 0xBF], 2)          // 1, -1
            .AddTensor("v", "1", 0, [2, 1], [1, 1]);
        var layer = new FakeLayer(("w", [3]), ("v", [2, 1]));
        using Checkpoint c = Checkpoint.Open(_dir.Write("h.pt", file.Build()));
        layer.LoadStateDict(c);
        Assert.Equal([1f, 2, 3, 1, -1], layer.Parameters.ToArray());
    }

    [Fact]
    public void Strict_load_reports_missing_unexpected_and_mismatched_together_and_changes_nothing()
    {
        string path = _dir.Write("bad.safetensors", new SafetensorsBytes()
            .F32("weight", [4, 3], Seq(12, 0))   // transposed: shape mismatch
            .F32("lora_A", [2, 4], Seq(8, 0))    // fine
            .F32("lora_C", [1], 0)               // unexpected
            .F32("extra.weight", [1], 0)         // unexpected
            .Build());                           // lora_B and bias missing
        var layer = FakeLayer.Adapter();
        layer.Fill(i => -i);
        float[] before = layer.Snapshot();

        using Checkpoint c = Checkpoint.Open(path);
        StateDictLoadException e = Assert.Throws<StateDictLoadException>(() => layer.LoadStateDict(c));

        Assert.Equal(["lora_B", "bias"], e.MissingKeys);
        Assert.Equal(["lora_C", "extra.weight"], e.UnexpectedKeys);
        Assert.Single(e.ShapeMismatches);
        Assert.Contains("Missing key(s) in state_dict: \"lora_B\", \"bias\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected key(s) in state_dict: \"lora_C\", \"extra.weight\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("size mismatch for weight: copying a param with shape [4, 3] from checkpoint, the shape in current model is [3, 4]", e.Message, StringComparison.Ordinal);
        Assert.Contains("FakeLayer", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(path), e.Message, StringComparison.Ordinal);
        Assert.Equal(before, layer.Snapshot());
    }

    [Fact]
    public void Non_strict_load_skips_missing_and_unexpected_but_not_mismatches()
    {
        var layer = FakeLayer.Adapter();
        layer.Fill(_ => 9);
        var partial = Checkpoint.FromTensors([new("lora_A", new CheckpointTensor(Seq(8, 0), 2, 4)), new("other", new CheckpointTensor([1f], 1))]);

        StateDictLoadResult result = layer.LoadStateDict(partial, strict: false);
        Assert.Equal(["weight", "lora_B", "bias"], result.MissingKeys);
        Assert.Equal(["other"], result.UnexpectedKeys);
        Assert.Equal(Seq(8, 0), layer.Of("lora_A").ToArray());
        Assert.All(layer.Of("weight").ToArray(), v => Assert.Equal(9f, v));

        var wrongShape = Checkpoint.FromTensors([new("bias", new CheckpointTensor([1f, 2f], 2))]);
        StateDictLoadException e = Assert.Throws<StateDictLoadException>(() => layer.LoadStateDict(wrongShape, strict: false));
        Assert.Empty(e.MissingKeys);
        Assert.Single(e.ShapeMismatches);
    }

    [Fact]
    public void A_key_present_bare_and_with_weight_is_ambiguous()
    {
        var layer = new FakeLayer(("lora_A", [1]));
        var both = Checkpoint.FromTensors([new("lora_A", new CheckpointTensor([1f], 1)), new("lora_A.weight", new CheckpointTensor([2f], 1))]);
        StateDictLoadException e = Assert.Throws<StateDictLoadException>(() => layer.LoadStateDict(both));
        Assert.Equal(["lora_A"], e.AmbiguousKeys);
        Assert.Empty(e.UnexpectedKeys);
    }

    [Fact]
    public void Corrupted_data_in_a_later_tensor_leaves_the_layer_untouched()
    {
        var file = new TorchSaveFile().AddFloatTensor("a", [2], 1, 2).AddFloatTensor("b", [3], 3, 4, 5);
        file.ExtraEntries.Add(new("archive/data/1", TorchZipReaderTests.Floats(3, 4, 5), Crc: 12345));
        var layer = new FakeLayer(("a", [2]), ("b", [3]));
        layer.Fill(_ => -7);

        using Checkpoint c = Checkpoint.Open(_dir.Write("corrupt.pt", file.Build()));
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => layer.LoadStateDict(c));
        Assert.Contains("CRC-32", e.Message, StringComparison.Ordinal);
        Assert.All(layer.Parameters.ToArray(), v => Assert.Equal(-7f, v));
    }

    [Fact]
    public void StateDict_save_open_load_round_trip_is_bit_exact()
    {
        var source = FakeLayer.Adapter();
        source.Initialize(3);
        source.Parameters[0] = BitConverter.Int32BitsToSingle(0x7FC12345); // a NaN with payload
        source.Parameters[1] = -0f;
        string path = _dir.File("layer.safetensors");

        Checkpoint.Save(path, source);
        var target = FakeLayer.Adapter();
        using (Checkpoint c = Checkpoint.Open(path))
        {
            Assert.Equal(["bias", "lora_A.weight", "lora_B.weight", "weight"], c.Keys.ToArray()); // sorted on disk
            target.LoadStateDict(c);
        }
        Assert.Equal(source.Snapshot().Select(BitConverter.SingleToInt32Bits), target.Snapshot().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void StateDict_names_tensors_with_the_prefix_in_layer_order_and_copies_values()
    {
        var layer = FakeLayer.Adapter();
        layer.Initialize(1);
        Checkpoint sd = layer.StateDict("blocks.0.");
        Assert.Equal(CheckpointFormat.InMemory, sd.Format);
        Assert.Null(sd.Path);
        Assert.Equal(["blocks.0.weight", "blocks.0.lora_A.weight", "blocks.0.lora_B.weight", "blocks.0.bias"], sd.Keys.ToArray());
        Assert.Equal([3, 2], sd["blocks.0.lora_B.weight"].Shape);
        float first = layer.Parameters[0];
        layer.Parameters[0] = 1234;
        Assert.Equal(first, sd["blocks.0.weight"].ToFloatArray()[0]);

        var other = FakeLayer.Adapter();
        other.LoadStateDict(sd, prefix: "blocks.0.");
        Assert.Equal(first, other.Parameters[0]);
    }
}
