using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using StructGen.Serialization.Pickle;

namespace StructGen.Serialization.Torch;

/// <summary>
/// Turns the unpickled object into named tensors. A state dict maps names to tensors directly; training
/// checkpoints nest them (<c>{"model": {...}, "optimizer": {"state": {0: {...}}}}</c>), so nested dicts and
/// lists are walked and their tensors named by the path, joined with dots (list items and int keys by their
/// number). Values that are not tensors are skipped.
/// </summary>
/// <remarks>
/// A pickle can share one object in several places (the memo) and even make cycles, so the walk refuses a
/// cycle, stops at <see cref="MaxDepth"/> and counts the values it visits: sharing cannot make it run for
/// exponential time or recurse into a stack overflow.
/// </remarks>
internal static class StateDictFlattener
{
    public const int MaxDepth = 64;

    public const int MaxVisits = 1 << 24;

    public static List<KeyValuePair<string, TorchTensorRecord>> Flatten(object? root)
    {
        if (root is TorchTensorRecord)
        {
            throw new InvalidDataException("the file holds a single tensor, not a state dict; save {\"name\": tensor} instead.");
        }
        if (root is not PickleDict)
        {
            throw new InvalidDataException($"the file holds a {PickleValue.TypeName(root)}, not a dict of tensors.");
        }
        var walk = new Walk();
        walk.Visit(root, "", depth: 0);
        return walk.Result;
    }

    private sealed class Walk
    {
        private readonly HashSet<object> _path = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<string> _names = new(System.StringComparer.Ordinal);
        private int _visits;

        public List<KeyValuePair<string, TorchTensorRecord>> Result { get; } = [];

        /// <param name="value">The value to walk.</param>
        /// <param name="name">Its dotted path, or null when a key on the way cannot name anything (a float, None, bool key).</param>
        /// <param name="depth">Containers above it.</param>
        public void Visit(object? value, string? name, int depth)
        {
            if (++_visits > MaxVisits)
            {
                throw new InvalidDataException($"the pickle's values are shared so often that walking them visits more than {MaxVisits}.");
            }
            switch (value)
            {
                case TorchTensorRecord tensor:
                    if (name is null)
                    {
                        throw new InvalidDataException("a tensor sits under a dict key that is not a str or int, so it has no name.");
                    }
                    if (!_names.Add(name))
                    {
                        throw new InvalidDataException($"two tensors are named '{UntrustedText.Quote(name)}'.");
                    }
                    Result.Add(new(name, tensor));
                    break;
                case PickleDict dict:
                    Enter(dict, depth);
                    foreach (KeyValuePair<object?, object?> item in dict.Items)
                    {
                        Visit(item.Value, Join(name, KeyName(item.Key)), depth + 1);
                    }
                    _path.Remove(dict);
                    break;
                case List<object?> list:
                    Enter(list, depth);
                    for (int i = 0; i < list.Count; i++)
                    {
                        Visit(list[i], Join(name, i.ToString(CultureInfo.InvariantCulture)), depth + 1);
                    }
                    _path.Remove(list);
                    break;
                case PickleTuple tuple:
                    Enter(tuple, depth);
                    for (int i = 0; i < tuple.Count; i++)
                    {
                        Visit(tuple[i], Join(name, i.ToString(CultureInfo.InvariantCulture)), depth + 1);
                    }
                    _path.Remove(tuple);
                    break;
            }
        }

        private void Enter(object container, int depth)
        {
            if (depth >= MaxDepth)
            {
                throw new InvalidDataException($"containers nest more than {MaxDepth} deep.");
            }
            if (!_path.Add(container))
            {
                throw new InvalidDataException("a container contains itself.");
            }
            RuntimeHelpers.EnsureSufficientExecutionStack();
        }

        private static string? KeyName(object? key) => key switch
        {
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            BigInteger b => b.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };

        private static string? Join(string? parent, string? key) =>
            parent is null || key is null ? null : parent.Length == 0 ? key : parent + "." + key;
    }
}
