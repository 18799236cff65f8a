using System;

namespace StructGen.Training.Tests;

/// <summary>
/// A two-layer classifier written by hand over generated layers: <c>hidden → relu → head</c>, with the
/// buffers for one batch size allocated once.
/// </summary>
internal sealed class TinyMlp<THidden>
    where THidden : IStructuredLinear, new()
{
    private readonly float[] _preActivation, _activation, _logits, _dLogits, _dActivation, _dInput;

    public TinyMlp(int maxBatch, int seed)
    {
        Hidden.Initialize(seed);
        Head.Initialize(seed + 1);
        _preActivation = new float[maxBatch * Hidden.OutFeatures];
        _activation = new float[maxBatch * Hidden.OutFeatures];
        _logits = new float[maxBatch * Head.OutFeatures];
        _dLogits = new float[maxBatch * Head.OutFeatures];
        _dActivation = new float[maxBatch * Hidden.OutFeatures];
        _dInput = new float[maxBatch * Hidden.InFeatures];
        Parameters = new ParameterSet { Hidden, Head };
    }

    public THidden Hidden { get; } = new();

    public TinyHead Head { get; } = new();

    public ParameterSet Parameters { get; }

    public int Classes => Head.OutFeatures;

    /// <summary>Runs the model; the logits stay valid until the next call.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        int h = batch * Hidden.OutFeatures;
        Hidden.Forward(x, _preActivation.AsSpan(0, h), batch);
        Activations.Relu(_preActivation.AsSpan(0, h), _activation.AsSpan(0, h));
        Head.Forward(_activation.AsSpan(0, h), _logits.AsSpan(0, batch * Classes), batch);
        return _logits.AsSpan(0, batch * Classes);
    }

    /// <summary>Forward, loss and backward; gradients are added into the layers'.</summary>
    public double LossAndGradients(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, int batch)
    {
        ReadOnlySpan<float> logits = Forward(x, batch);
        Span<float> dLogits = _dLogits.AsSpan(0, batch * Classes);
        double loss = SoftmaxCrossEntropy.LossAndGradient(logits, labels, dLogits, Classes);
        int h = batch * Hidden.OutFeatures;
        Head.Backward(_activation.AsSpan(0, h), dLogits, _dActivation.AsSpan(0, h), batch);
        Activations.ReluBackward(_preActivation.AsSpan(0, h), _dActivation.AsSpan(0, h), _dActivation.AsSpan(0, h));
        Hidden.Backward(x, _dActivation.AsSpan(0, h), _dInput.AsSpan(0, batch * Hidden.InFeatures), batch);
        return loss;
    }
}
