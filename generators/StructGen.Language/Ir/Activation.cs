using System;
using System.Collections.Generic;

namespace StructGen.Language.Ir;

/// <summary>An element-wise activation between the layers of a model (<c>relu;</c> as a step).</summary>
public enum Activation
{
    Relu,
    Gelu,
    Tanh,
    Sigmoid,
}

/// <summary>The DSL spellings of the activations.</summary>
public static class ActivationNames
{
    private static readonly Dictionary<string, Activation> s_byName = new(StringComparer.Ordinal)
    {
        ["relu"] = Activation.Relu,
        ["gelu"] = Activation.Gelu,
        ["tanh"] = Activation.Tanh,
        ["sigmoid"] = Activation.Sigmoid,
    };

    /// <summary>Every spelling, for suggestions and reserved names.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { "relu", "gelu", "tanh", "sigmoid" };

    public static bool TryParse(string name, out Activation activation) => s_byName.TryGetValue(name, out activation);

    public static string Name(Activation activation) => activation switch
    {
        Activation.Relu => "relu",
        Activation.Gelu => "gelu",
        Activation.Tanh => "tanh",
        _ => "sigmoid",
    };
}
