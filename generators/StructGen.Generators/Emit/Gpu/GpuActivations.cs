using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// The ILGPU kernels of a model's activations: one thread per element, forward <c>y = f(x)</c> and backward
/// <c>dx = f'(·) ⊙ dy</c>, each differentiating from what the CPU path (StructGen.Training.Activations) uses:
/// the input for ReLU and GELU, the output for tanh and sigmoid. Scalar float bodies that call only
/// <c>MathF.Exp</c>, which ILGPU maps to the device's exponential (tanh is written through it).
/// </summary>
internal static class GpuActivations
{
    /// <summary>The kernel name of an activation (<c>Gelu</c>; its backward is <c>GeluBackward</c>).</summary>
    public static string Name(Activation function) => function switch
    {
        Activation.Relu => "Relu",
        Activation.Gelu => "Gelu",
        Activation.Tanh => "Tanh",
        _ => "Sigmoid",
    };

    /// <summary>Whether the backward kernel reads the activation's output (tanh, sigmoid) rather than its input.</summary>
    public static bool DifferentiatesFromOutput(Activation function) => function is Activation.Tanh or Activation.Sigmoid;

    /// <summary>The forward and backward kernels of each activation in <paramref name="used"/>, and GELU's erfc when needed.</summary>
    public static void Write(IndentedTextWriter w, IReadOnlyCollection<Activation> used)
    {
        foreach (Activation function in used)
        {
            w.Line();
            w.Lines(Forward(function));
            w.Line();
            w.Lines(Backward(function));
        }
        if (used.Contains(Activation.Gelu))
        {
            w.Line();
            w.Lines(
@"/// <summary>Φ(x) = erfc(−x/√2) / 2, the normal CDF of the exact GELU (torch.nn.GELU()).</summary>
private static float NormalCdf(float x) => 0.5f * Erfc(-x * 0.70710678f);

/// <summary>Complementary error function, relative error below 1.2·10⁻⁷ (Numerical Recipes' Chebyshev fit, as the CPU path).</summary>
private static float Erfc(float x)
{
    float z = x < 0f ? -x : x;
    float t = 1f / (1f + 0.5f * z);
    float r = t * global::System.MathF.Exp(-z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f +
        t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f)))))))));
    return x >= 0f ? r : 2f - r;
}");
        }
        if (used.Contains(Activation.Tanh))
        {
            w.Line();
            w.Lines(
@"/// <summary>tanh(x) = 1 − 2/(e^(2x) + 1): exact at both tails (e^(2x) overflowing to ∞ gives 1, underflowing to 0 gives −1).</summary>
private static float Tanh(float x) => 1f - 2f / (global::System.MathF.Exp(2f * x) + 1f);");
        }
    }

    private static string Forward(Activation function)
    {
        string name = Name(function);
        string body = function switch
        {
            Activation.Relu => "y[i] = v > 0f ? v : 0f;",
            Activation.Gelu => "y[i] = v * NormalCdf(v);",
            Activation.Tanh => "y[i] = Tanh(v);",
            _ => "y[i] = 1f / (1f + global::System.MathF.Exp(-v));",
        };
        string formula = function switch
        {
            Activation.Relu => "max(x, 0)",
            Activation.Gelu => "x·Φ(x), the exact GELU",
            Activation.Tanh => "tanh(x)",
            _ => "1 / (1 + e^(−x))",
        };
        return
$@"/// <summary>{name}: y = {formula}, one thread per element of a [rows, width] view (count = rows·width).</summary>
public static void {name}(global::ILGPU.ArrayView<float> x, global::ILGPU.ArrayView<float> y, int count)
{{
    int i = global::ILGPU.Grid.IdxX * Threads + global::ILGPU.Group.IdxX;
    if (i < count)
    {{
        float v = x[i];
        {body}
    }}
}}";
    }

    private static string Backward(Activation function)
    {
        string name = Name(function);
        (string from, string body, string formula) = function switch
        {
            Activation.Relu => ("x", "dx[i] = v > 0f ? dy[i] : 0f;", "dy where x > 0, else 0"),
            Activation.Gelu => ("x", "dx[i] = (NormalCdf(v) + v * 0.39894228f * global::System.MathF.Exp(-0.5f * v * v)) * dy[i];", "(Φ(x) + x·φ(x))·dy"),
            Activation.Tanh => ("y", "dx[i] = (1f - v * v) * dy[i];", "(1 − y²)·dy, from the output"),
            _ => ("y", "dx[i] = v * (1f - v) * dy[i];", "y·(1 − y)·dy, from the output"),
        };
        return
$@"/// <summary>{name} backward: dx = {formula}.</summary>
public static void {name}Backward(global::ILGPU.ArrayView<float> {from}, global::ILGPU.ArrayView<float> dy, global::ILGPU.ArrayView<float> dx, int count)
{{
    int i = global::ILGPU.Grid.IdxX * Threads + global::ILGPU.Group.IdxX;
    if (i < count)
    {{
        float v = {from}[i];
        {body}
    }}
}}";
    }
}
