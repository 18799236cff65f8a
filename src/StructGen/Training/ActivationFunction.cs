namespace StructGen.Training;

/// <summary>The element-wise activations of <see cref="Activations"/> (the DSL's <c>relu</c>, <c>gelu</c>, <c>tanh</c>, <c>sigmoid</c>).</summary>
public enum ActivationFunction
{
    /// <summary><c>max(x, 0)</c>.</summary>
    Relu,

    /// <summary><c>x·Φ(x)</c> with the exact normal CDF, as <c>torch.nn.GELU()</c> (the DSL's <c>gelu</c>).</summary>
    Gelu,

    /// <summary>GELU's tanh approximation, as <c>torch.nn.GELU(approximate='tanh')</c> (GPT-2, BERT).</summary>
    GeluTanh,

    /// <summary><c>tanh(x)</c>.</summary>
    Tanh,

    /// <summary><c>1 / (1 + e^(−x))</c>.</summary>
    Sigmoid,
}
