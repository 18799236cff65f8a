using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Serialization;

namespace StructGen.Parity.Tests;

/// <summary>
/// Every fixture loads from PyTorch's own files (.pt and .safetensors) through <c>Checkpoint.Open</c> and
/// <c>LoadStateDict</c>, and then the forward, the input gradient and every parameter gradient agree with PyTorch's.
/// </summary>
public class ParityTests
{
    [Fact]
    public void Every_fixture_in_the_manifest_has_a_layer()
    {
        IReadOnlyList<ManifestEntry> manifest = Fixture.Manifest();
        Assert.NotEmpty(manifest);
        string[] uncovered = manifest
            .Where(e => !ParityCatalog.Contains(e.Name) && (ParityCatalog.CompositesIncluded || e.Structure != "adapter"))
            .Select(e => e.Name)
            .ToArray();
        Assert.True(uncovered.Length == 0, "fixtures without a layer: " + string.Join(", ", uncovered));
        Assert.All(ParityCatalog.Names, n => Assert.Contains(manifest, e => e.Name == n));
    }

    [Theory]
    [MemberData(nameof(ParityCatalog.AllNames), MemberType = typeof(ParityCatalog))]
    public void Layer_tensors_have_the_names_and_shapes_of_the_PyTorch_state_dict(string name)
    {
        ManifestEntry entry = Fixture.Manifest().Single(e => e.Name == name);
        IStructuredLinear layer = ParityCatalog.Create(name);
        Assert.Equal(entry.In, layer.InFeatures);
        Assert.Equal(entry.Out, layer.OutFeatures);
        var torch = entry.Tensors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            string key = torch.ContainsKey(tensor.Name) ? tensor.Name : tensor.Name + ".weight";
            if (!torch.TryGetValue(key, out int[]? shape))
            {
                problems.Add($"layer tensor {tensor} has no PyTorch key {tensor.Name} or {tensor.Name}.weight");
                continue;
            }
            used.Add(key);
            if (!shape.SequenceEqual(tensor.Shape))
            {
                problems.Add($"{key}: PyTorch [{string.Join(", ", shape)}], layer [{string.Join(", ", tensor.Shape)}]");
            }
        }
        problems.AddRange(torch.Keys.Where(k => !used.Contains(k)).Select(k => $"PyTorch key {k} has no layer tensor"));
        Assert.True(problems.Count == 0, $"{name} ({entry.Attribute}):\n" + string.Join("\n", problems));
        Assert.Equal(torch.Values.Sum(s => s.Aggregate(1, (a, b) => a * b)), layer.ParameterCount);
    }

    [Theory]
    [MemberData(nameof(ParityCatalog.NamesAndFormats), MemberType = typeof(ParityCatalog))]
    public void Loaded_values_are_PyTorch_values_bit_for_bit(string name, string format)
    {
        IStructuredLinear layer = Fixture.LoadLayer(name, format);
        using Checkpoint checkpoint = Checkpoint.Open(Fixture.PathOf(name, format));
        Assert.Equal(format == Fixture.Pt ? CheckpointFormat.TorchZip : CheckpointFormat.Safetensors, checkpoint.Format);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            CheckpointTensor source = checkpoint.TryGetValue(tensor.Name, out CheckpointTensor? bare) ? bare : checkpoint[tensor.Name + ".weight"];
            Assert.Equal(Parity.Bits(source.ToFloatArray()), Parity.Bits(tensor.Slice(layer.Parameters)));
        }
    }

    [Theory]
    [MemberData(nameof(ParityCatalog.NamesAndFormats), MemberType = typeof(ParityCatalog))]
    public void Forward_matches_PyTorch(string name, string format)
    {
        Fixture fixture = Fixture.Load(name);
        IStructuredLinear layer = Fixture.LoadLayer(name, format);
        var y = new float[fixture.Batch * layer.OutFeatures];
        y.AsSpan().Fill(float.NaN); // Forward must overwrite the output
        layer.Forward(fixture.X, y, fixture.Batch);
        Parity.Close(fixture.Y, y, $"{name}{format} y", [fixture.Batch, layer.OutFeatures]);
    }

    [Theory]
    [MemberData(nameof(ParityCatalog.NamesAndFormats), MemberType = typeof(ParityCatalog))]
    public void Input_gradient_matches_PyTorch(string name, string format)
    {
        Fixture fixture = Fixture.Load(name);
        IStructuredLinear layer = Fixture.LoadLayer(name, format);
        var dx = new float[fixture.Batch * layer.InFeatures];
        dx.AsSpan().Fill(float.NaN); // Backward must overwrite the input gradient
        layer.ZeroGradients();
        layer.Backward(fixture.X, fixture.DY, dx, fixture.Batch);
        Parity.Close(fixture.DX, dx, $"{name}{format} ∂x", [fixture.Batch, layer.InFeatures]);
    }

    [Theory]
    [MemberData(nameof(ParityCatalog.NamesAndFormats), MemberType = typeof(ParityCatalog))]
    public void Every_parameter_gradient_matches_PyTorch(string name, string format)
    {
        Fixture fixture = Fixture.Load(name);
        IStructuredLinear layer = Fixture.LoadLayer(name, format);
        layer.Gradients.Fill(7f); // stale values that ZeroGradients must clear
        layer.ZeroGradients();
        layer.Forward(fixture.X, new float[fixture.Batch * layer.OutFeatures], fixture.Batch);
        layer.Backward(fixture.X, fixture.DY, new float[fixture.Batch * layer.InFeatures], fixture.Batch);
        float[] gradients = layer.Gradients.ToArray();
        var failures = new List<string>();
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            (string key, float[] expected, int[] shape) = fixture.GradientFor(tensor);
            Assert.Equal(shape, tensor.Shape);
            try
            {
                Parity.Close(expected, tensor.Slice(gradients), $"{name}{format} ∂{tensor.Name} (PyTorch {key})", tensor.Shape);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(ParityCatalog.AllNames), MemberType = typeof(ParityCatalog))]
    public void Both_files_give_the_same_layer(string name)
    {
        IStructuredLinear fromPt = Fixture.LoadLayer(name, Fixture.Pt);
        IStructuredLinear fromSafetensors = Fixture.LoadLayer(name, Fixture.Safetensors);
        Assert.Equal(Parity.Bits(fromPt.Parameters), Parity.Bits(fromSafetensors.Parameters));
    }
}
