using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using StructGen.Serialization;

namespace StructGen.Parity.Tests;

/// <summary>
/// One fixture of tests/fixtures/torch/parity: PyTorch's state dict (<c>NAME.pt</c>, <c>NAME.safetensors</c>)
/// and its numbers (<c>NAME.io.safetensors</c>: <c>x</c>, <c>y</c>, <c>dy</c>, <c>dx</c>, <c>grad.KEY</c>).
/// </summary>
internal sealed class Fixture
{
    public const string Pt = ".pt";
    public const string Safetensors = ".safetensors";

    /// <summary>Where the build copies the fixtures (see the project file).</summary>
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "parity");

    private Fixture(string name, int batch, Dictionary<string, float[]> arrays, Dictionary<string, int[]> shapes)
    {
        Name = name;
        Batch = batch;
        Arrays = arrays;
        Shapes = shapes;
    }

    public string Name { get; }

    public int Batch { get; }

    /// <summary>Every array of the io file by name.</summary>
    public IReadOnlyDictionary<string, float[]> Arrays { get; }

    /// <summary>Every array's shape by name.</summary>
    public IReadOnlyDictionary<string, int[]> Shapes { get; }

    public float[] X => Arrays["x"];

    public float[] Y => Arrays["y"];

    public float[] DY => Arrays["dy"];

    public float[] DX => Arrays["dx"];

    public static string PathOf(string name, string format) => Path.Combine(Folder, name + format);

    public static Fixture Load(string name)
    {
        using Checkpoint io = Checkpoint.Open(Path.Combine(Folder, name + ".io.safetensors"));
        var arrays = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, CheckpointTensor> entry in io)
        {
            arrays[entry.Key] = entry.Value.ToFloatArray();
            shapes[entry.Key] = [.. entry.Value.Shape];
        }
        int batch = int.Parse(io.Metadata["batch"], System.Globalization.CultureInfo.InvariantCulture);
        return new Fixture(name, batch, arrays, shapes);
    }

    /// <summary>
    /// PyTorch's gradient for a layer tensor: <c>grad.NAME</c>, or <c>grad.NAME.weight</c> where PyTorch wraps the
    /// factor in an <c>nn.Linear</c> (PEFT's <c>lora_A</c>), the same rule <c>LoadStateDict</c> uses.
    /// </summary>
    public (string Key, float[] Values, int[] Shape) GradientFor(ParameterTensor tensor)
    {
        string bare = "grad." + tensor.Name;
        string wrapped = bare + ".weight";
        bool hasBare = Arrays.ContainsKey(bare), hasWrapped = Arrays.ContainsKey(wrapped);
        Assert.False(hasBare && hasWrapped, $"{Name}: both {bare} and {wrapped}");
        Assert.True(hasBare || hasWrapped, $"{Name}: PyTorch has no gradient for layer tensor {tensor} (keys: {string.Join(", ", Arrays.Keys)})");
        string key = hasBare ? bare : wrapped;
        return (key, Arrays[key], Shapes[key]);
    }

    /// <summary>A fresh layer for <paramref name="name"/> loaded strictly from one of its state-dict files.</summary>
    public static IStructuredLinear LoadLayer(string name, string format)
    {
        IStructuredLinear layer = ParityCatalog.Create(name);
        using Checkpoint checkpoint = Checkpoint.Open(PathOf(name, format));
        StateDictLoadResult result = layer.LoadStateDict(checkpoint, prefix: "", strict: true);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        return layer;
    }

    /// <summary>The manifest's entries: name, structure and state-dict key → shape.</summary>
    public static IReadOnlyList<ManifestEntry> Manifest()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        var entries = new List<ManifestEntry>();
        foreach (JsonElement fixture in document.RootElement.GetProperty("fixtures").EnumerateArray())
        {
            var tensors = fixture.GetProperty("tensors").EnumerateObject()
                .Select(p => new KeyValuePair<string, int[]>(p.Name, p.Value.EnumerateArray().Select(d => d.GetInt32()).ToArray()))
                .ToList();
            entries.Add(new ManifestEntry(
                fixture.GetProperty("name").GetString()!,
                fixture.GetProperty("structure").GetString()!,
                fixture.GetProperty("attribute").GetString()!,
                fixture.GetProperty("in").GetInt32(),
                fixture.GetProperty("out").GetInt32(),
                tensors));
        }
        return entries;
    }
}

internal sealed record ManifestEntry(string Name, string Structure, string Attribute, int In, int Out, IReadOnlyList<KeyValuePair<string, int[]>> Tensors);

/// <summary>The parity tolerance: every element within 1e-5 of the largest magnitude PyTorch produced.</summary>
internal static class Parity
{
    public const double Relative = 1e-5;

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, IReadOnlyList<int>? shape = null)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, PyTorch has {expected.Length}");
        double scale = 0;
        foreach (float e in expected)
        {
            scale = Math.Max(scale, Math.Abs((double)e));
        }
        double tolerance = Relative * scale;
        double worst = -1;
        int at = -1, failures = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - expected[i]);
            if (!(difference <= tolerance))
            {
                failures++;
            }
            if (double.IsNaN(difference) || difference > worst)
            {
                worst = double.IsNaN(difference) ? double.PositiveInfinity : difference;
                at = i;
                if (double.IsNaN(difference))
                {
                    break;
                }
            }
        }
        if (failures > 0)
        {
            Assert.Fail(
                $"{what}: {failures} of {expected.Length} values differ from PyTorch by more than {Relative:g} × max|expected| = {tolerance:e3}; " +
                $"worst at {(shape is null ? $"[{at}]" : Index(at, shape))}: expected {expected[at]:g9}, actual {actual[at]:g9} (|Δ| {worst:e3})");
        }
    }

    /// <summary>Bit patterns, so that -0 ≠ +0 and NaN payloads count.</summary>
    public static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        }
        return bits;
    }

    /// <summary>The row-major index of an element as <c>[i, j, …]</c>, for messages.</summary>
    public static string Index(int flat, IReadOnlyList<int> shape)
    {
        var index = new int[shape.Count];
        for (int d = shape.Count - 1; d >= 0; d--)
        {
            int extent = Math.Max(shape[d], 1);
            index[d] = flat % extent;
            flat /= extent;
        }
        return "[" + string.Join(", ", index) + "]";
    }
}
