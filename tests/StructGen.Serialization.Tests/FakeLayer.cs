using System;
using System.Collections.Generic;

namespace StructGen.Serialization.Tests;

/// <summary>
/// A stand-in <see cref="IStructuredLinear"/>: named tensors over one flat buffer, nothing else. The real
/// generated layers are built elsewhere; loading only needs <see cref="Tensors"/> and <see cref="Parameters"/>.
/// </summary>
internal sealed class FakeLayer : IStructuredLinear
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly ParameterTensor[] _tensors;

    public FakeLayer(params (string Name, int[] Shape)[] tensors)
    {
        _tensors = new ParameterTensor[tensors.Length];
        int offset = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            _tensors[i] = new ParameterTensor(tensors[i].Name, offset, tensors[i].Shape);
            offset += _tensors[i].Length;
        }
        _parameters = new float[offset];
        _gradients = new float[offset];
    }

    /// <summary>A PEFT-style adapter over 4 → 3 features with rank 2.</summary>
    public static FakeLayer Adapter() => new(("weight", [3, 4]), ("lora_A", [2, 4]), ("lora_B", [3, 2]), ("bias", [3]));

    public int InFeatures => 4;

    public int OutFeatures => 3;

    public int ParameterCount => _parameters.Length;

    public long ForwardFlopsPerRow => 0;

    public Span<float> Parameters => _parameters;

    public Span<float> Gradients => _gradients;

    public IReadOnlyList<ParameterTensor> Tensors => _tensors;

    public float[] Snapshot() => (float[])_parameters.Clone();

    public Span<float> Of(string name) => Array.Find(_tensors, t => t.Name == name)!.Slice(_parameters);

    public void Fill(Func<int, float> value)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = value(i);
        }
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch) => throw new NotSupportedException();

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch) => throw new NotSupportedException();

    public void ZeroGradients() => Array.Clear(_gradients);

    public void ToDense(Span<float> weight) => throw new NotSupportedException();

    public void Initialize(int seed) => Fill(i => (float)Math.Sin(seed + i));
}
