using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using StructGen.Serialization.Pickle;

namespace StructGen.Serialization.Torch;

/// <summary>
/// Turns the unpickled object into named tensors. A state dict maps names to tensors directly; training
/// checkpoints nest them (<c>{"model": {...}, "optimizer": {"state": {0: {...}}}}</c>), so nested dicts,
/// lists and tuples are walked and their tensors named by the path, joined with dots (list items and int
/// keys by their number). Values that are not tensors are skipped.
/// </summary>
/// <remarks>
/// A pickle can share one object in several places (the memo) and even make cycles. The walk refuses a
/// cycle, stops at <see cref="MaxDepth"/>, skips a shared container already found to hold no tensor, and
/// counts the values it visits: sharing cannot make it run for exponential time or overflow the stack.
/// </remarks>
internal static class StateDictFlattener
{
    public const int MaxDepth = 64;

    public const int MaxVisits = 1 << 22;

    /// <summary>Most tensors named; large models have thousands, and are sharded across files long before this.</summary>
    public const int MaxTensors = 1 << 18;

    public static List<KeyValuePair<string, TorchTensorRecord>> Flatten(object? root)
    {
        if (root is TorchTensorRecord)
        {
            throw new InvalidDataException("the file holds a single tensor, not a state dict; save {\"name\": tensor} instead.");
        }
        if (root is not PickleDict dict)
        {
            throw new InvalidDataException($"the file holds a {PickleValue.TypeName(root)}, not a dict of tensors.");
        }
        var walk = new Walk();
        walk.Container(dict);
        return walk.Result;
    }

    private sealed class Walk
    {
        private readonly HashSet<object> _path = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<object> _barren = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<string> _names = new(System.StringComparer.Ordinal);
        private readonly List<string?> _segments = [];
        private int _visits;

        public List<KeyValuePair<string, TorchTensorRecord>> Result { get; } = [];

        /// <summary>Walks a dict, list or tuple whose own path is <see cref="_segments"/>.</summary>
        public void Container(object container)
        {
            if (_barren.Contains(container))
            {
                return;
            }
            if (_segments.Count >= MaxDepth)
            {
                throw new InvalidDataException($"containers nest more than {MaxDepth} deep.");
            }
            if (!_path.Add(container))
            {
                throw new InvalidDataException("a container contains itself.");
            }
            int found = Result.Count;
            switch (container)
            {
                case PickleDict dict:
                    foreach (KeyValuePair<object?, object?> item in dict.Items)
                    {
                        Item(KeyName(item.Key), item.Value);
                    }
                    break;
                case List<object?> list:
                    for (int i = 0; i < list.Count; i++)
                    {
                        Item(i.ToString(CultureInfo.InvariantCulture), list[i]);
                    }
                    break;
                case PickleTuple tuple:
                    for (int i = 0; i < tuple.Count; i++)
                    {
                        Item(i.ToString(CultureInfo.InvariantCulture), tuple[i]);
                    }
                    break;
            }
            _path.Remove(container);
            if (Result.Count == found)
            {
                _barren.Add(container);
            }
        }

        /// <param name="segment">The item's key, or null when the key cannot name anything (a float, None or bool key).</param>
        /// <param name="value">The item.</param>
        private void Item(string? segment, object? value)
        {
            if (++_visits > MaxVisits)
            {
                throw new InvalidDataException($"the pickle's values are shared so often that walking them visits more than {MaxVisits}.");
            }
            if (value is not (TorchTensorRecord or PickleDict or List<object?> or PickleTuple))
            {
                return;
            }
            _segments.Add(segment);
            if (value is TorchTensorRecord tensor)
            {
                if (_segments.Contains(null))
                {
                    throw new InvalidDataException("a tensor sits under a dict key that is not a str or int, so it has no name.");
                }
                if (Result.Count >= MaxTensors)
                {
                    throw new InvalidDataException($"the file names more than {MaxTensors} tensors.");
                }
                string name = string.Join('.', _segments);
                if (!_names.Add(name))
                {
                    throw new InvalidDataException($"two tensors are named '{UntrustedText.Quote(name)}'.");
                }
                Result.Add(new(name, tensor));
            }
            else
            {
                Container(value);
            }
            _segments.RemoveAt(_segments.Count - 1);
        }

        private static string? KeyName(object? key) => key switch
        {
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            BigInteger b => b.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
