using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Projection;

/// <summary>
/// The result of projecting a dense weight onto a structure: the structure's parameter tensors (bias
/// excluded), in the order STRUCTURES.md lists them.
/// </summary>
public sealed class ProjectedStructure
{
    private readonly ProjectedTensor[] _tensors;

    /// <summary>Creates a result.</summary>
    /// <param name="description">The structure in the DSL's words, e.g. <c>monarch(blocks: 4)</c>.</param>
    /// <param name="outFeatures">Output features of the projected weight.</param>
    /// <param name="inFeatures">Input features of the projected weight.</param>
    /// <param name="tensors">The tensors; names must be distinct.</param>
    public ProjectedStructure(string description, int outFeatures, int inFeatures, IEnumerable<ProjectedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        _tensors = tensors.ToArray();
        for (int i = 0; i < _tensors.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_tensors[i], nameof(tensors));
            for (int j = 0; j < i; j++)
            {
                if (_tensors[j].Name == _tensors[i].Name)
                {
                    throw new ArgumentException($"tensors holds two tensors named '{_tensors[i].Name}'.", nameof(tensors));
                }
            }
        }
        Description = description;
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
    }

    /// <summary>The structure in the DSL's words, e.g. <c>monarch(blocks: 4)</c>.</summary>
    public string Description { get; }

    /// <summary>Output features (<c>Out</c>) of the weight that was projected.</summary>
    public int OutFeatures { get; }

    /// <summary>Input features (<c>In</c>) of the weight that was projected.</summary>
    public int InFeatures { get; }

    /// <summary>The tensors, in STRUCTURES.md order.</summary>
    public IReadOnlyList<ProjectedTensor> Tensors => _tensors;

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <param name="name">A tensor name such as <c>blkdiag1</c>.</param>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists those there are.</exception>
    public ProjectedTensor this[string name]
    {
        get
        {
            foreach (ProjectedTensor tensor in _tensors)
            {
                if (tensor.Name == name)
                {
                    return tensor;
                }
            }
            throw new KeyNotFoundException($"{Description} has no tensor '{name}'; it has {string.Join(", ", _tensors.Select(t => t.ToString()))}.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Description}: {string.Join(", ", _tensors.Select(t => t.ToString()))}";
}
