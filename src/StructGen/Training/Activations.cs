using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace StructGen.Training;

/// <summary>
/// Element-wise activations, forward and backward, over flat spans (any <c>[batch, features]</c> layout).
/// </summary>
/// <remarks>
/// Forward may run in place (<c>input</c> and <c>output</c> the same memory), and so may backward
/// (<c>outputGradient</c> and <c>inputGradient</c>). Backward takes what each derivative is cheapest
/// from: the input for ReLU and GELU, the output for tanh and sigmoid (<c>tanh' = 1 − y²</c>,
/// <c>σ' = y·(1 − y)</c>); <see cref="Backward"/> takes both and picks. Nothing allocates.
/// <para>
/// <see cref="Gelu"/> is the exact <c>x·Φ(x)</c> of <c>torch.nn.GELU()</c>, the DSL's <c>gelu</c>, so
/// checkpoints trained in PyTorch behave the same here; <c>Φ</c> comes from a rational approximation of
/// <c>erfc</c> with relative error below 1.2·10⁻⁷ (Numerical Recipes' <c>erfcc</c>), below float
/// resolution. <see cref="GeluTanh"/> is the tanh approximation
/// <c>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>, within 10⁻³ of it.
/// </para>
/// </remarks>
public static class Activations
{
    private const double InverseSqrt2 = 0.70710678118654752440;
    private const double InverseSqrt2Pi = 0.39894228040143267794;
    private const float TanhScale = 0.7978845608028654f; // √(2/π)
    private const float TanhCubic = 0.044715f;

    /// <summary>Applies <paramref name="function"/>: <c>output = f(input)</c>.</summary>
    /// <param name="function">The activation.</param>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Same length; overwritten (may be <paramref name="input"/>).</param>
    public static void Forward(ActivationFunction function, ReadOnlySpan<float> input, Span<float> output)
    {
        switch (function)
        {
            case ActivationFunction.Relu: Relu(input, output); break;
            case ActivationFunction.Gelu: Gelu(input, output); break;
            case ActivationFunction.GeluTanh: GeluTanh(input, output); break;
            case ActivationFunction.Tanh: Tanh(input, output); break;
            case ActivationFunction.Sigmoid: Sigmoid(input, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown activation.");
        }
    }

    /// <summary>Back-propagates through <paramref name="function"/>: <c>inputGradient = f'(input) ⊙ outputGradient</c>.</summary>
    /// <param name="function">The activation.</param>
    /// <param name="input">The pre-activations the forward pass saw.</param>
    /// <param name="output">What the forward pass wrote.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>; overwritten (may be <paramref name="outputGradient"/>).</param>
    public static void Backward(ActivationFunction function, ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        switch (function)
        {
            case ActivationFunction.Relu: ReluBackward(input, outputGradient, inputGradient); break;
            case ActivationFunction.Gelu: GeluBackward(input, outputGradient, inputGradient); break;
            case ActivationFunction.GeluTanh: GeluTanhBackward(input, outputGradient, inputGradient); break;
            case ActivationFunction.Tanh: TanhBackward(output, outputGradient, inputGradient); break;
            case ActivationFunction.Sigmoid: SigmoidBackward(output, outputGradient, inputGradient); break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown activation.");
        }
    }

    /// <summary><c>output = max(input, 0)</c>.</summary>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Same length; overwritten (may be <paramref name="input"/>).</param>
    public static void Relu(ReadOnlySpan<float> input, Span<float> output)
    {
        SameLength(input.Length, output.Length);
        TensorPrimitives.Max(input, 0f, output);
    }

    /// <summary><c>inputGradient = input &gt; 0 ? outputGradient : 0</c>.</summary>
    /// <param name="input">The pre-activations (or the ReLU's outputs: both are positive at the same places).</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>; overwritten (may be <paramref name="outputGradient"/>).</param>
    public static void ReluBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        int n = input.Length, i = 0;
        SameLength(n, outputGradient.Length);
        SameLength(n, inputGradient.Length);
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> vx = MemoryMarshal.Cast<float, Vector<float>>(input);
            ReadOnlySpan<Vector<float>> vdy = MemoryMarshal.Cast<float, Vector<float>>(outputGradient);
            Span<Vector<float>> vdx = MemoryMarshal.Cast<float, Vector<float>>(inputGradient);
            for (int j = 0; j < vx.Length; j++)
            {
                vdx[j] = Vector.ConditionalSelect(Vector.GreaterThan(vx[j], Vector<float>.Zero), vdy[j], Vector<float>.Zero);
            }
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            inputGradient[i] = input[i] > 0 ? outputGradient[i] : 0f;
        }
    }

    /// <summary><c>output = input·Φ(input)</c>, the exact GELU.</summary>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Same length; overwritten (may be <paramref name="input"/>).</param>
    public static void Gelu(ReadOnlySpan<float> input, Span<float> output)
    {
        SameLength(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            output[i] = (float)(x * NormalCdf(x));
        }
    }

    /// <summary><c>inputGradient = (Φ(x) + x·φ(x)) ⊙ outputGradient</c>.</summary>
    /// <param name="input">The pre-activations.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>; overwritten (may be <paramref name="outputGradient"/>).</param>
    public static void GeluBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        SameLength(input.Length, outputGradient.Length);
        SameLength(input.Length, inputGradient.Length);
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            double derivative = NormalCdf(x) + x * InverseSqrt2Pi * Math.Exp(-0.5 * x * x);
            inputGradient[i] = (float)(derivative * outputGradient[i]);
        }
    }

    /// <summary><c>output = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>.</summary>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Same length; overwritten (may be <paramref name="input"/>).</param>
    public static void GeluTanh(ReadOnlySpan<float> input, Span<float> output)
    {
        SameLength(input.Length, output.Length);
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            float t = MathF.Tanh(TanhScale * (x + TanhCubic * x * x * x));
            output[i] = 0.5f * x * (1 + t);
        }
    }

    /// <summary>Back-propagates through <see cref="GeluTanh"/>.</summary>
    /// <param name="input">The pre-activations.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>; overwritten (may be <paramref name="outputGradient"/>).</param>
    public static void GeluTanhBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        SameLength(input.Length, outputGradient.Length);
        SameLength(input.Length, inputGradient.Length);
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            float t = MathF.Tanh(TanhScale * (x + TanhCubic * x * x * x));
            float derivative = 0.5f * (1 + t) + 0.5f * x * (1 - t * t) * TanhScale * (1 + 3 * TanhCubic * x * x);
            inputGradient[i] = derivative * outputGradient[i];
        }
    }

    /// <summary><c>output = tanh(input)</c>.</summary>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Same length; overwritten (may be <paramref name="input"/>).</param>
    public static void Tanh(ReadOnlySpan<float> input, Span<float> output)
    {
        SameLength(input.Length, output.Length);
        TensorPrimitives.Tanh(input, output);
    }

    /// <summary><c>inputGradient = (1 − output²) ⊙ outputGradient</c>.</summary>
    /// <param name="output">What <see cref="Tanh"/> wrote.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>; overwritten (may be <paramref name="outputGradient"/>).</param>
    public static void TanhBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        SameLength(output.Length, outputGradient.Length);
        SameLength(output.Length, inputGradient.Length);
        for (int i = 0; i < output.Length; i++)
        {
            float y = output[i];
            inputGradient[i] = (1 - y * y) * outputGradient[i];
        }
    }

    /// <summary><c>output = 1 / (1 + e^(−input))</c>.</summary>
    /// <param name="input">Pre-activations.</param>
    /// <param name="output">Same length; overwritten (may be <paramref name="input"/>).</param>
    public static void Sigmoid(ReadOnlySpan<float> input, Span<float> output)
    {
        SameLength(input.Length, output.Length);
        TensorPrimitives.Sigmoid(input, output);
    }

    /// <summary><c>inputGradient = output·(1 − output) ⊙ outputGradient</c>.</summary>
    /// <param name="output">What <see cref="Sigmoid"/> wrote.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>; overwritten (may be <paramref name="outputGradient"/>).</param>
    public static void SigmoidBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        SameLength(output.Length, outputGradient.Length);
        SameLength(output.Length, inputGradient.Length);
        for (int i = 0; i < output.Length; i++)
        {
            float y = output[i];
            inputGradient[i] = y * (1 - y) * outputGradient[i];
        }
    }

    /// <summary><c>Φ(x) = erfc(−x/√2) / 2</c>; erfc keeps relative accuracy in the far negative tail.</summary>
    private static double NormalCdf(double x) => 0.5 * Erfc(-x * InverseSqrt2);

    /// <summary>Complementary error function, relative error below 1.2·10⁻⁷ (Numerical Recipes' Chebyshev fit).</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    private static void SameLength(int expected, int actual)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Spans of different lengths: {expected} and {actual}.");
        }
    }
}
