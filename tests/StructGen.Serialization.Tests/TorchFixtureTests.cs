using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using StructGen.Serialization.Tests.Formats;

namespace StructGen.Serialization.Tests;

/// <summary>
/// Files written by real <c>torch.save</c> (tests/fixtures/torch, made by make_checkpoint_fixtures.py), with
/// the values PyTorch itself computed for each tensor.
/// </summary>
public sealed class TorchFixtureTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "torch");

    public static TheoryData<string> Fixtures() =>
        ["linear_f32", "sequential_f32", "half_bf16", "shared_storage", "non_contiguous", "training_checkpoint", "pickle_reference"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Torch_save_files_load_with_the_values_pytorch_computed(string name)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".expected.json")));
        byte[] blob = File.ReadAllBytes(Path.Combine(Folder, name + ".expected.bin"));
        JsonElement[] tensors = manifest.RootElement.GetProperty("tensors").EnumerateArray().ToArray();

        using Checkpoint c = Checkpoint.Open(Path.Combine(Folder, name + ".pt"));
        Assert.Equal(CheckpointFormat.TorchZip, c.Format);
        Assert.Equal(tensors.Select(t => t.GetProperty("name").GetString()!), c.Keys);
        foreach (JsonElement t in tensors)
        {
            string key = t.GetProperty("name").GetString()!;
            CheckpointTensor tensor = c[key];
            Assert.Equal(t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()), tensor.Shape);
            Assert.Equal(DType(t.GetProperty("dtype").GetString()!), tensor.DType);
            int offset = t.GetProperty("offset").GetInt32();
            float[] actual = tensor.ToFloatArray();
            Assert.Equal(t.GetProperty("count").GetInt32(), actual.Length);
            for (int i = 0; i < actual.Length; i++)
            {
                float want = BinaryPrimitives.ReadSingleLittleEndian(blob.AsSpan(4 * (offset + i)));
                CheckpointAssert.BitsEqual(want, actual[i], $"at {key}[{i}] of {name}");
            }
        }
    }

    [Fact]
    public void A_real_nn_linear_state_dict_loads_into_a_layer()
    {
        var layer = new FakeLayer(("weight", [3, 4]), ("bias", [3]));
        using Checkpoint c = Checkpoint.Open(Path.Combine(Folder, "linear_f32.pt"));
        layer.LoadStateDict(c);
        float[] blob = ReadFloats(Path.Combine(Folder, "linear_f32.expected.bin"));
        Assert.Equal(blob, layer.Parameters.ToArray()); // weight then bias, as the JSON lists them
    }

    [Fact]
    public void A_real_legacy_file_gets_the_resave_message()
    {
        string path = Path.Combine(Folder, "legacy_format.pt");
        InvalidDataException e = CheckpointAssert.Refuses(path, "legacy torch.save format");
        Assert.Contains("_use_new_zipfile_serialization", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_test_side_pickle_writer_matches_torch_save_byte_for_byte()
    {
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(Folder, "pickle_reference.pt"));
        using var stream = new MemoryStream();
        zip.GetEntry("pickle_reference/data.pkl")!.Open().CopyTo(stream);

        var ours = new TorchSaveFile()
            .AddFloatStorage("0", 0, 1, 2, 3, 4, 5)
            .AddTensor("a", "0", 0, [2, 3], [3, 1])
            .AddTensor("b", "0", 0, [3, 2], [1, 3])
            .AddStorage("1", "HalfStorage", [0x00, 0x3C, 0x00, 0x3C], 2)
            .AddTensor("h", "1", 0, [2], [1]);
        Assert.Equal(stream.ToArray(), ours.BuildPickle());
    }

    private static TensorDType DType(string torchName) => torchName switch
    {
        "float32" => TensorDType.Float32,
        "float16" => TensorDType.Float16,
        "bfloat16" => TensorDType.BFloat16,
        "float64" => TensorDType.Float64,
        "int64" => TensorDType.Int64,
        _ => throw new ArgumentException(torchName),
    };

    private static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i))).ToArray();
    }
}
