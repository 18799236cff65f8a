using System.Globalization;

namespace StructGen.Language.Ir;

/// <summary>One step of a <see cref="ModelSpec"/>: a linear layer or an element-wise activation.</summary>
public abstract record ModelStep(int In, int Out)
{
    /// <summary>The step as written in a model body, with its <c>;</c>.</summary>
    public abstract string Describe();
}

/// <summary>A layer step: inline (<c>monarch(blocks: 28) -&gt; 784;</c>, <see cref="Name"/> null) or a layer of the file (<c>Up;</c>).</summary>
public sealed record LayerStep(LayerSpec Layer, string? Name) : ModelStep(Layer.In, Layer.Out)
{
    public override string Describe() => Name is not null
        ? Name + ";"
        : Layer.Describe() + " -> " + Layer.Out.ToString(CultureInfo.InvariantCulture) + ";";
}

/// <summary>An activation applied to every feature; the width does not change.</summary>
public sealed record ActivationStep(Activation Function, int Width) : ModelStep(Width, Width)
{
    public override string Describe() => ActivationNames.Name(Function) + ";";
}
