using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>An unstructured weight <c>[Out, In]</c> (<c>torch.nn.Linear</c>).</summary>
public sealed record DenseSpec(int In, int Out) : LayerSpec(In, Out)
{
    public override string Describe() => "dense";

    public override EquatableArray<TensorSpec> Tensors => EquatableArray.Create(
        TensorSpec.Create("weight", InitScale.FanIn(In), "kaiming-uniform(a=√5), fan_in = In", Out, In));

    public override long ForwardFlopsPerRow => 2L * In * Out;
}
