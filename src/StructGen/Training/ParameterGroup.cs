using System;

namespace StructGen.Training;

/// <summary>
/// A contiguous run of parameters and the matching run of gradients that an optimizer updates together,
/// with the hyper-parameter choices that may differ between runs (weight decay on or off).
/// </summary>
/// <remarks>
/// A group does not copy anything: it reads the spans from its owner (a layer, a model or two arrays)
/// on every access, so it always sees the live buffers and costs no allocation per step.
/// </remarks>
public sealed class ParameterGroup
{
    private readonly ITrainable? _owner;
    private readonly IStructuredLinear? _layer;
    private readonly Memory<float> _parameters;
    private readonly Memory<float> _gradients;
    private readonly int _offset;

    private ParameterGroup(string name, int offset, int length, bool weightDecay)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Name = name;
        _offset = offset;
        Length = length;
        WeightDecay = weightDecay;
    }

    private ParameterGroup(string name, ITrainable owner, int offset, int length, bool weightDecay)
        : this(name, offset, length, weightDecay)
    {
        _owner = owner;
        CheckRange(owner.Parameters.Length, owner.Gradients.Length);
    }

    private ParameterGroup(string name, IStructuredLinear layer, int offset, int length, bool weightDecay)
        : this(name, offset, length, weightDecay)
    {
        _layer = layer;
        CheckRange(layer.Parameters.Length, layer.Gradients.Length);
    }

    private ParameterGroup(string name, Memory<float> parameters, Memory<float> gradients, bool weightDecay)
        : this(name, 0, parameters.Length, weightDecay)
    {
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException($"Parameter group '{name}': {parameters.Length} parameters but {gradients.Length} gradients; both buffers must have the same length.", nameof(gradients));
        }
        _parameters = parameters;
        _gradients = gradients;
    }

    /// <summary>A name for messages: the tensor names it covers, prefixed by its owner's position in the set.</summary>
    public string Name { get; }

    /// <summary>Number of parameters in the group.</summary>
    public int Length { get; }

    /// <summary>Whether the optimizer's weight decay applies to this group (biases are usually left out).</summary>
    public bool WeightDecay { get; }

    /// <summary>The group's parameters, read from the owner's live buffer.</summary>
    public Span<float> Parameters
        => _layer is not null ? _layer.Parameters.Slice(_offset, Length)
         : _owner is not null ? _owner.Parameters.Slice(_offset, Length)
         : _parameters.Span;

    /// <summary>The group's gradients, same length and order as <see cref="Parameters"/>.</summary>
    public Span<float> Gradients
        => _layer is not null ? _layer.Gradients.Slice(_offset, Length)
         : _owner is not null ? _owner.Gradients.Slice(_offset, Length)
         : _gradients.Span;

    /// <summary>A group over <paramref name="length"/> values of a layer's buffers from <paramref name="offset"/>.</summary>
    /// <param name="name">Name for messages.</param>
    /// <param name="layer">The layer whose <see cref="IStructuredLinear.Parameters"/> and <see cref="IStructuredLinear.Gradients"/> the group views.</param>
    /// <param name="offset">First value of the run.</param>
    /// <param name="length">Number of values.</param>
    /// <param name="weightDecay">Whether weight decay applies.</param>
    public static ParameterGroup FromLayer(string name, IStructuredLinear layer, int offset, int length, bool weightDecay)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new ParameterGroup(name, layer, offset, length, weightDecay);
    }

    /// <summary>A group over <paramref name="length"/> values of a model's buffers from <paramref name="offset"/>.</summary>
    /// <param name="name">Name for messages.</param>
    /// <param name="owner">The model whose <see cref="ITrainable.Parameters"/> and <see cref="ITrainable.Gradients"/> the group views.</param>
    /// <param name="offset">First value of the run.</param>
    /// <param name="length">Number of values.</param>
    /// <param name="weightDecay">Whether weight decay applies.</param>
    public static ParameterGroup FromTrainable(string name, ITrainable owner, int offset, int length, bool weightDecay)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new ParameterGroup(name, owner, offset, length, weightDecay);
    }

    /// <summary>A group over two buffers of equal length that the caller owns (arrays convert implicitly).</summary>
    /// <param name="name">Name for messages.</param>
    /// <param name="parameters">The values the optimizer updates.</param>
    /// <param name="gradients">Their gradients.</param>
    /// <param name="weightDecay">Whether weight decay applies.</param>
    public static ParameterGroup FromBuffers(string name, Memory<float> parameters, Memory<float> gradients, bool weightDecay = true)
        => new(name, parameters, gradients, weightDecay);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Length} values{(WeightDecay ? "" : ", no weight decay")})";

    private void CheckRange(int parameters, int gradients)
    {
        if ((long)_offset + Length > parameters || parameters != gradients)
        {
            throw new ArgumentException(
                $"Parameter group '{Name}' covers [{_offset}, {_offset + (long)Length}) but its owner has {parameters} parameters and {gradients} gradients.");
        }
    }
}
