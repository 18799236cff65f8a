using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Training;

/// <summary>
/// The parameters an optimizer trains: an ordered list of <see cref="ParameterGroup"/>s gathered from
/// generated layers, models (<see cref="ITrainable"/>) and raw buffer pairs.
/// </summary>
/// <remarks>
/// Supports collection initializers: <c>new ParameterSet { hidden, head }</c>. A layer or model is split
/// into runs of tensors by whether weight decay applies; by default tensors named <c>bias</c> (or ending in
/// <c>.bias</c>) are not decayed, as is usual practice. An optimizer copies the list when it is created,
/// so groups added afterwards are not trained by it.
/// </remarks>
public sealed class ParameterSet : IReadOnlyList<ParameterGroup>
{
    private readonly List<ParameterGroup> _groups = [];
    private int _owners;

    /// <summary>Creates an empty set.</summary>
    public ParameterSet()
    {
    }

    /// <summary>Creates a set over the given layers, biases excluded from weight decay.</summary>
    /// <param name="layers">Layers to train, in order.</param>
    public ParameterSet(IEnumerable<IStructuredLinear> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (IStructuredLinear layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>Number of groups.</summary>
    public int Count => _groups.Count;

    /// <summary>Total number of parameters over all groups.</summary>
    public long TotalLength => _groups.Sum(g => (long)g.Length);

    /// <summary>The group at <paramref name="index"/>.</summary>
    /// <param name="index">Position in the set.</param>
    public ParameterGroup this[int index] => _groups[index];

    /// <summary>Adds a generated layer's parameters.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="decayBiases">Whether weight decay applies to its <c>bias</c> too.</param>
    /// <returns>This set.</returns>
    public ParameterSet Add(IStructuredLinear layer, bool decayBiases = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        string prefix = $"{_owners++}:{layer.GetType().Name}";
        foreach ((int offset, int length, bool decay, string names) in Runs(layer.Tensors, layer.Parameters.Length, decayBiases))
        {
            _groups.Add(ParameterGroup.FromLayer($"{prefix}.{names}", layer, offset, length, decay));
        }
        return this;
    }

    /// <summary>Adds a model's (or any <see cref="ITrainable"/>'s) parameters.</summary>
    /// <param name="model">The model.</param>
    /// <param name="decayBiases">Whether weight decay applies to tensors named <c>bias</c> or <c>….bias</c> too.</param>
    /// <returns>This set.</returns>
    public ParameterSet Add(ITrainable model, bool decayBiases = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        string prefix = $"{_owners++}:{model.GetType().Name}";
        foreach ((int offset, int length, bool decay, string names) in Runs(model.Tensors, model.Parameters.Length, decayBiases))
        {
            _groups.Add(ParameterGroup.FromTrainable($"{prefix}.{names}", model, offset, length, decay));
        }
        return this;
    }

    /// <summary>Adds a pair of buffers the caller owns (arrays convert implicitly to <see cref="Memory{T}"/>).</summary>
    /// <param name="name">Name for messages.</param>
    /// <param name="parameters">Values to train.</param>
    /// <param name="gradients">Their gradients, same length.</param>
    /// <param name="weightDecay">Whether weight decay applies.</param>
    /// <returns>This set.</returns>
    public ParameterSet Add(string name, Memory<float> parameters, Memory<float> gradients, bool weightDecay = true)
    {
        _owners++;
        _groups.Add(ParameterGroup.FromBuffers(name, parameters, gradients, weightDecay));
        return this;
    }

    /// <summary>Adds a group as it is.</summary>
    /// <param name="group">The group.</param>
    /// <returns>This set.</returns>
    public ParameterSet Add(ParameterGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        _owners++;
        _groups.Add(group);
        return this;
    }

    /// <summary>Sets every gradient of every group to zero.</summary>
    public void ZeroGradients()
    {
        foreach (ParameterGroup group in _groups)
        {
            group.Gradients.Clear();
        }
    }

    /// <summary>The Euclidean norm of all gradients together.</summary>
    public double GradientNorm()
    {
        double sum = 0;
        foreach (ParameterGroup group in _groups)
        {
            ReadOnlySpan<float> g = group.Gradients;
            for (int i = 0; i < g.Length; i++)
            {
                sum += (double)g[i] * g[i];
            }
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales all gradients together so their Euclidean norm is at most <paramref name="maxNorm"/>
    /// (as <c>torch.nn.utils.clip_grad_norm_</c>).
    /// </summary>
    /// <param name="maxNorm">Largest norm allowed; positive.</param>
    /// <returns>The norm before clipping.</returns>
    public double ClipGradientNorm(double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        double norm = GradientNorm();
        if (norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            foreach (ParameterGroup group in _groups)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(group.Gradients, scale, group.Gradients);
            }
        }
        return norm;
    }

    /// <inheritdoc />
    public IEnumerator<ParameterGroup> GetEnumerator() => _groups.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Splits <c>[0, total)</c> into maximal runs that agree on weight decay. Values no tensor names are
    /// decayed (treated as weights).
    /// </summary>
    private static List<(int Offset, int Length, bool Decay, string Names)> Runs(IReadOnlyList<ParameterTensor> tensors, int total, bool decayBiases)
    {
        var runs = new List<(int Offset, int Length, bool Decay, string Names)>();
        var names = new List<string>();
        int start = 0, cursor = 0;
        bool decay = true;

        void Extend(int end, bool d, string name)
        {
            if (end <= cursor)
            {
                return;
            }
            if (cursor > start && d != decay)
            {
                runs.Add((start, cursor - start, decay, string.Join("+", names)));
                names.Clear();
                start = cursor;
            }
            decay = d;
            names.Add(name);
            cursor = end;
        }

        foreach (ParameterTensor tensor in tensors.OrderBy(t => t.Offset))
        {
            if (tensor.Offset < cursor || (long)tensor.Offset + tensor.Length > total)
            {
                throw new ArgumentException($"Tensor {tensor} overlaps another or lies outside the {total} parameters.", nameof(tensors));
            }
            Extend(tensor.Offset, true, "(unnamed)");
            Extend(tensor.Offset + tensor.Length, decayBiases || !IsBias(tensor.Name), tensor.Name);
        }
        Extend(total, true, tensors.Count == 0 ? "parameters" : "(unnamed)");
        if (cursor > start)
        {
            runs.Add((start, cursor - start, decay, string.Join("+", names)));
        }
        return runs;
    }

    private static bool IsBias(string name) => name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal);
}
