using System;
using System.Collections.Generic;

namespace StructGen.Projection.Tests.Fakes;

/// <summary>
/// A stand-in for a generated layer: only sizes, tensors and a parameter buffer. Forward/Backward are not
/// needed by the projection; <see cref="ToDense"/> uses a delegate the test supplies (its own oracle).
/// </summary>
internal sealed class FakeLayer : IStructuredLinear
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly ParameterTensor[] _tensors;
    private readonly Func<FakeLayer, double[]>? _toDense;

    public FakeLayer(int outFeatures, int inFeatures, (string Name, int[] Shape)[] tensors, Func<FakeLayer, double[]>? toDense = null)
    {
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        _tensors = new ParameterTensor[tensors.Length];
        int offset = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            _tensors[i] = new ParameterTensor(tensors[i].Name, offset, tensors[i].Shape);
            offset += _tensors[i].Length;
        }
        _parameters = new float[offset];
        _gradients = new float[offset];
        _toDense = toDense;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public int ParameterCount => _parameters.Length;

    public long ForwardFlopsPerRow => 0;

    public Span<float> Parameters => _parameters;

    public Span<float> Gradients => _gradients;

    public IReadOnlyList<ParameterTensor> Tensors => _tensors;

    /// <summary>The values of the tensor named <paramref name="name"/>, copied.</summary>
    public float[] Tensor(string name)
    {
        foreach (ParameterTensor tensor in _tensors)
        {
            if (tensor.Name == name)
            {
                return tensor.Slice(_parameters).ToArray();
            }
        }
        throw new KeyNotFoundException(name);
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch) => throw new NotSupportedException();

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch) => throw new NotSupportedException();

    public void ZeroGradients() => Array.Clear(_gradients);

    public void ToDense(Span<float> weight)
    {
        if (_toDense is null)
        {
            throw new NotSupportedException();
        }
        double[] dense = _toDense(this);
        for (int i = 0; i < dense.Length; i++)
        {
            weight[i] = (float)dense[i];
        }
    }

    public void Initialize(int seed) => throw new NotSupportedException();
}
