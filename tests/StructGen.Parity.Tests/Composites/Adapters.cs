using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Serialization;

namespace StructGen.Parity.Tests;

// DSL composites: PEFT LoRA adapters, W = weight + (alpha / R)·lora_B·lora_A, whose PyTorch keys are weight, bias,
// lora_A.weight and lora_B.weight. Left out with -p:ParityComposites=false (see the project file).

[StructuredLinear("dense + lowrank(r: 4)", In = 24, Out = 20)] public partial class Adapter24x20;
[StructuredLinear("dense + lowrank(r: 3, alpha: 12)", In = 16, Out = 26)] public partial class Adapter16x26Alpha12;

internal static partial class ParityCatalog
{
    static partial void AddComposites(Dictionary<string, Func<IStructuredLinear>> layers)
    {
        layers["adapter_24x20_r4"] = () => new Adapter24x20();
        layers["adapter_16x26_r3_alpha12"] = () => new Adapter16x26Alpha12();
        CompositesIncluded = true;
    }
}

public class AdapterParityTests
{
    public static TheoryData<string, int> Adapters() => new()
    {
        { "adapter_24x20_r4", 4 },
        { "adapter_16x26_r3_alpha12", 12 },
    };

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Adapter_tensors_are_named_as_PEFT_names_them(string name, int alpha)
    {
        _ = alpha;
        IStructuredLinear layer = ParityCatalog.Create(name);
        Assert.Equal(["weight", "lora_A", "lora_B", "bias"], layer.Tensors.Select(t => t.Name)); // STRUCTURES.md order, bias last
        using Checkpoint checkpoint = Checkpoint.Open(Fixture.PathOf(name, Fixture.Pt));
        Assert.Equal(["bias", "lora_A.weight", "lora_B.weight", "weight"], checkpoint.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Dense_weight_is_base_plus_scaled_lora_product(string name, int alpha)
    {
        IStructuredLinear layer = Fixture.LoadLayer(name, Fixture.Pt);
        using Checkpoint checkpoint = Checkpoint.Open(Fixture.PathOf(name, Fixture.Pt));
        float[] weight = checkpoint["weight"].ToFloatArray();
        float[] a = checkpoint["lora_A.weight"].ToFloatArray();
        float[] b = checkpoint["lora_B.weight"].ToFloatArray();
        int rank = checkpoint["lora_A.weight"].Shape[0], n = layer.InFeatures, m = layer.OutFeatures;
        double scaling = (double)alpha / rank;
        var expected = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int r = 0; r < rank; r++)
                {
                    sum += (double)b[i * rank + r] * a[r * n + j];
                }
                expected[i * n + j] = (float)(weight[i * n + j] + scaling * sum);
            }
        }
        var actual = new float[m * n];
        layer.ToDense(actual);
        Parity.Close(expected, actual, $"{name} W = weight + ({alpha}/{rank})·lora_B·lora_A", [m, n]);
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Adapter_loads_under_a_PEFT_module_prefix(string name, int alpha)
    {
        _ = alpha;
        const string prefix = "base_model.model.model.layers.0.self_attn.q_proj.";
        using Checkpoint file = Checkpoint.Open(Fixture.PathOf(name, Fixture.Pt));
        var tensors = file.Select(kv => new KeyValuePair<string, CheckpointTensor>(prefix + kv.Key, new CheckpointTensor(kv.Value.ToFloatArray(), [.. kv.Value.Shape])))
            .Append(new KeyValuePair<string, CheckpointTensor>("base_model.model.model.layers.0.self_attn.k_proj.weight", new CheckpointTensor(new float[4], 2, 2)));
        Checkpoint model = Checkpoint.FromTensors(tensors);

        IStructuredLinear layer = ParityCatalog.Create(name);
        layer.LoadStateDict(model, prefix: prefix, strict: true);

        Fixture fixture = Fixture.Load(name);
        var y = new float[fixture.Batch * layer.OutFeatures];
        layer.Forward(fixture.X, y, fixture.Batch);
        Parity.Close(fixture.Y, y, $"{name} under {prefix}", [fixture.Batch, layer.OutFeatures]);
    }

    [Fact]
    public void Adapter_checkpoint_of_another_shape_names_the_wrapped_keys()
    {
        IStructuredLinear layer = new Adapter16x26Alpha12();
        int[] before = Parity.Bits(layer.Parameters);
        using Checkpoint checkpoint = Checkpoint.Open(Fixture.PathOf("adapter_24x20_r4", Fixture.Safetensors));
        StateDictLoadException e = Assert.Throws<StateDictLoadException>(() => layer.LoadStateDict(checkpoint));
        Assert.Empty(e.MissingKeys);
        Assert.Empty(e.UnexpectedKeys);
        Assert.Equal(4, e.ShapeMismatches.Count);
        Assert.Contains(e.ShapeMismatches, l => l.StartsWith("size mismatch for lora_A.weight: copying a param with shape [4, 24]", StringComparison.Ordinal));
        Assert.Contains(e.ShapeMismatches, l => l.StartsWith("size mismatch for lora_B.weight: copying a param with shape [20, 4]", StringComparison.Ordinal));
        Assert.Equal(before, Parity.Bits(layer.Parameters));
    }
}
