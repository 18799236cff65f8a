using System;
using StructGen;
using StructGen.Training;

namespace Mnist;

/// <summary>
/// <c>input → hidden → relu → head</c> over generated layers, with every activation buffer sized once
/// for the largest batch, so training steps allocate nothing.
/// </summary>
/// <typeparam name="THidden">The hidden layer's structure (dense, Monarch, low rank, …).</typeparam>
public sealed class Mlp<THidden> : IClassifier
    where THidden : IStructuredLinear, new()
{
    private readonly THidden _hidden = new();
    private readonly Head _head = new();
    private readonly float[] _preActivation;
    private readonly float[] _activation;
    private readonly float[] _logits;
    private readonly float[] _hiddenGradient;
    private readonly float[] _inputGradient;
    private readonly float[] _hiddenSaved;
    private readonly float[] _headSaved;

    /// <summary>Creates the model with deterministic weights.</summary>
    /// <param name="name">Name for the table.</param>
    /// <param name="maxBatch">Largest batch <see cref="Forward"/> will see.</param>
    /// <param name="seed">Initialization seed.</param>
    public Mlp(string name, int maxBatch, int seed)
    {
        Name = name;
        _hidden.Initialize(seed);
        _head.Initialize(seed + 1);
        int width = _hidden.OutFeatures;
        _preActivation = new float[maxBatch * width];
        _activation = new float[maxBatch * width];
        _logits = new float[maxBatch * _head.OutFeatures];
        _hiddenGradient = new float[maxBatch * width];
        _inputGradient = new float[maxBatch * _hidden.InFeatures];
        // What each layer's forward keeps for its backward (0 floats for a dense layer).
        _hiddenSaved = new float[maxBatch * _hidden.SavedPerRow];
        _headSaved = new float[maxBatch * _head.SavedPerRow];
        Parameters = new ParameterSet { _hidden, _head };
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int InFeatures => _hidden.InFeatures;

    /// <inheritdoc />
    public int Classes => _head.OutFeatures;

    /// <inheritdoc />
    public long ParameterCount => (long)_hidden.ParameterCount + _head.ParameterCount;

    /// <inheritdoc />
    public ParameterSet Parameters { get; }

    /// <inheritdoc />
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int batch)
    {
        Span<float> z = _preActivation.AsSpan(0, batch * _hidden.OutFeatures);
        Span<float> a = _activation.AsSpan(0, z.Length);
        Span<float> logits = _logits.AsSpan(0, batch * Classes);
        _hidden.Forward(input, z, batch, _hiddenSaved.AsSpan(0, batch * _hidden.SavedPerRow));
        Activations.Relu(z, a);
        _head.Forward(a, logits, batch, _headSaved.AsSpan(0, batch * _head.SavedPerRow));
        return logits;
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> logitGradient, int batch)
    {
        Span<float> z = _preActivation.AsSpan(0, batch * _hidden.OutFeatures);
        Span<float> a = _activation.AsSpan(0, z.Length);
        Span<float> da = _hiddenGradient.AsSpan(0, z.Length);
        _head.Backward(a, logitGradient, da, batch, _headSaved.AsSpan(0, batch * _head.SavedPerRow));
        Activations.ReluBackward(z, da, da);
        // The input gradient is not needed, but Backward writes it; it goes to a scratch buffer.
        _hidden.Backward(input, da, _inputGradient.AsSpan(0, batch * InFeatures), batch, _hiddenSaved.AsSpan(0, batch * _hidden.SavedPerRow));
    }
}
