using System.Globalization;
using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// The LoRA adapter sum <c>dense + lowrank(r: R, alpha: α)</c>, with PEFT's tensor names:
/// <c>weight [Out, In]</c> (the base layer), <c>lora_A [R, In]</c>, <c>lora_B [Out, R]</c>, and
/// <c>W = weight + (α / R)·lora_B·lora_A</c> (<c>α</c> defaults to <c>R</c>, a scaling of 1).
/// As in PEFT, <c>lora_B</c> starts at zero, so a fresh adapter computes exactly its base layer and
/// training moves it away from there; <c>lora_A</c> is kaiming-uniform (<c>a = √5</c>) as PEFT does.
/// </summary>
public sealed record AdapterSpec(int In, int Out, int Rank, int Alpha) : LayerSpec(In, Out)
{
    /// <summary>PEFT's <c>scaling = lora_alpha / r</c>.</summary>
    public double Scaling => (double)Alpha / Rank;

    /// <summary>The base layer alone.</summary>
    public DenseSpec Base => new(In, Out);

    /// <summary>The low-rank update alone (named <c>A</c>/<c>B</c> there; <c>lora_A</c>/<c>lora_B</c> here).</summary>
    public LowRankSpec Update => new(In, Out, Rank);

    /// <summary><c>dense + lowrank(r: 8)</c>, with <c>alpha</c> written only when it is not <c>R</c>.</summary>
    public override string Describe() => Alpha == Rank
        ? $"dense + lowrank(r: {Rank.ToString(CultureInfo.InvariantCulture)})"
        : $"dense + lowrank(r: {Rank.ToString(CultureInfo.InvariantCulture)}, alpha: {Alpha.ToString(CultureInfo.InvariantCulture)})";

    public override EquatableArray<TensorSpec> Tensors => EquatableArray.Create(
        TensorSpec.Create("weight", InitScale.FanIn(In), "kaiming-uniform(a=√5), fan_in = In: the base layer, as torch.nn.Linear", Out, In),
        TensorSpec.Create("lora_A", InitScale.FanIn(In), "kaiming-uniform(a=√5), fan_in = In (PEFT)", Rank, In),
        TensorSpec.Create("lora_B", 0.0, "zero (PEFT): a fresh adapter is exactly its base layer", Out, Rank));

    /// <summary>The base product, the two low-rank products, the scaling of the <c>R</c>-wide middle and the <c>Out</c> additions.</summary>
    public override long ForwardFlopsPerRow => 2L * In * Out + 2L * Rank * ((long)In + Out) + Rank + Out;
}
