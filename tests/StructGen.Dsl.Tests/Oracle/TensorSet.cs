using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Dsl.Tests.Oracle;

/// <summary>A layer's or model's named tensors, read into doubles by name, with their shapes.</summary>
public sealed class TensorSet
{
    private readonly Dictionary<string, double[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _shapes = new(StringComparer.Ordinal);

    public TensorSet(IReadOnlyList<ParameterTensor> tensors, ReadOnlySpan<float> parameters)
    {
        foreach (ParameterTensor t in tensors)
        {
            _values[t.Name] = parameters.Slice(t.Offset, t.Length).ToArray().Select(v => (double)v).ToArray();
            _shapes[t.Name] = t.Shape.ToArray();
        }
    }

    /// <summary>The values of tensor <paramref name="name"/> (mutable: finite differences move them).</summary>
    public double[] this[string name] => _values.TryGetValue(name, out double[]? v) ? v : throw new KeyNotFoundException($"No tensor '{name}'; the layer has {string.Join(", ", _values.Keys)}.");

    public int[] Shape(string name) => _shapes.TryGetValue(name, out int[]? s) ? s : throw new KeyNotFoundException($"No tensor '{name}'.");

    public bool Contains(string name) => _values.ContainsKey(name);

    public IEnumerable<string> Names => _values.Keys;
}
