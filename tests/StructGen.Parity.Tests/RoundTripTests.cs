using System;
using System.IO;
using System.Linq;
using StructGen.Serialization;

namespace StructGen.Parity.Tests;

/// <summary>A layer saved by StructGen (<c>Checkpoint.Save</c>) and loaded back into a fresh layer is the same layer, bit for bit.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "structgen-parity-" + Guid.NewGuid().ToString("N"));

    public RoundTripTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(ParityCatalog.NamesAndFormats), MemberType = typeof(ParityCatalog))]
    public void Saved_and_reloaded_layer_has_identical_bits(string name, string format)
    {
        IStructuredLinear original = Fixture.LoadLayer(name, format);
        string path = Path.Combine(_folder, name + ".safetensors");
        Checkpoint.Save(path, original);

        IStructuredLinear fresh = ParityCatalog.Create(name);
        Assert.NotEqual(Parity.Bits(original.Parameters), Parity.Bits(fresh.Parameters)); // the load has something to do
        using (Checkpoint saved = Checkpoint.Open(path))
        {
            Assert.Equal(CheckpointFormat.Safetensors, saved.Format);
            Assert.Equal(original.Tensors.Select(t => SavedKey(t.Name)).Order(StringComparer.Ordinal), saved.Keys.Order(StringComparer.Ordinal));
            fresh.LoadStateDict(saved, prefix: "", strict: true);
        }
        Assert.Equal(Parity.Bits(original.Parameters), Parity.Bits(fresh.Parameters));

        // Same bits in, same bits out.
        Fixture fixture = Fixture.Load(name);
        var y1 = new float[fixture.Batch * original.OutFeatures];
        var y2 = new float[y1.Length];
        original.Forward(fixture.X, y1, fixture.Batch);
        fresh.Forward(fixture.X, y2, fixture.Batch);
        Assert.Equal(Parity.Bits(y1), Parity.Bits(y2));
    }

    [Theory]
    [MemberData(nameof(ParityCatalog.AllNames), MemberType = typeof(ParityCatalog))]
    public void Saved_file_holds_float32_tensors_with_the_layer_shapes(string name)
    {
        IStructuredLinear layer = Fixture.LoadLayer(name, Fixture.Safetensors);
        string path = Path.Combine(_folder, name + ".safetensors");
        Checkpoint.Save(path, layer);
        using Checkpoint saved = Checkpoint.Open(path);
        Assert.Equal(layer.Tensors.Count, saved.Count);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            CheckpointTensor t = saved[SavedKey(tensor.Name)];
            Assert.Equal(TensorDType.Float32, t.DType);
            Assert.Equal(tensor.Shape, t.Shape);
        }
    }

    /// <summary>The key a tensor is saved under: PEFT's adapter factors are nn.Linear modules, so they end in ".weight".</summary>
    private static string SavedKey(string name) => name is "lora_A" or "lora_B" ? name + ".weight" : name;
}
