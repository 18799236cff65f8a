using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace StructGen.Serialization.Pickle;

/// <summary>
/// A Python dict (or <c>collections.OrderedDict</c>) from a pickle: insertion-ordered, a repeated key
/// overwrites in place as in Python. Keys must be str, int, float, bool or None; anything else (tuples,
/// objects) has no place in a state dict and is refused, which also keeps hashing free of recursion.
/// </summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = new(KeyComparer.Instance);

    /// <summary>Instance attributes set by BUILD (an OrderedDict's <c>_metadata</c>), or null.</summary>
    public PickleDict? Attributes { get; set; }

    public int Count => _items.Count;

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    public void Set(object? key, object? value)
    {
        object hashable = key ?? NoneKey.Instance;
        if (hashable is not (string or long or BigInteger or double or bool or NoneKey))
        {
            throw new InvalidDataException($"a dict key is a {PickleValue.TypeName(key)}; only str, int, float, bool and None keys are read.");
        }
        if (_index.TryGetValue(hashable, out int at))
        {
            _items[at] = new(key, value);
        }
        else
        {
            _index.Add(hashable, _items.Count);
            _items.Add(new(key, value));
        }
    }

    private sealed class NoneKey
    {
        public static readonly NoneKey Instance = new();
    }

    /// <summary>Value equality for the primitive key types; str and int never equal each other, as in Python.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) => x switch
        {
            string s => y is string t && string.Equals(s, t, StringComparison.Ordinal),
            _ => object.Equals(x, y),
        };

        public int GetHashCode(object obj) => obj switch
        {
            string s => StringComparer.Ordinal.GetHashCode(s),
            _ => obj.GetHashCode(),
        };
    }
}
