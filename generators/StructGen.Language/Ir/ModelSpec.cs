using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// <c>model Name : In -&gt; Out { step; step; … }</c>: layers and element-wise activations applied in order,
/// each layer with its own bias. Tensors are keyed as <c>torch.nn.Sequential</c> keys them: by the step's
/// index counting activations too (<c>0.blkdiag1</c>, <c>0.bias</c>, <c>2.A</c>, …), so a checkpoint of the
/// same <c>nn.Sequential</c> loads as-is. Not a <see cref="LayerSpec"/>: a model is not linear.
/// </summary>
public sealed record ModelSpec(int In, int Out, EquatableArray<ModelStep> Steps)
{
    /// <summary>The layer steps with their step index (the tensor prefix).</summary>
    public IEnumerable<(int Index, LayerStep Step)> Layers
        => Steps.Select((step, i) => (i, step)).Where(p => p.step is LayerStep).Select(p => (p.i, (LayerStep)p.step));

    /// <summary>The model body: <c>{ monarch(blocks: 28) -&gt; 784; gelu; lowrank(r: 32) -&gt; 10; }</c>.</summary>
    public string Describe() => "{ " + string.Join(" ", Steps.Select(s => s.Describe())) + " }";

    /// <summary>Every layer's tensors then its <c>bias [Out]</c>, prefixed by the step index.</summary>
    public EquatableArray<TensorSpec> Tensors => Layers
        .SelectMany(layer =>
        {
            string prefix = layer.Index.ToString(CultureInfo.InvariantCulture) + ".";
            return layer.Step.Layer.Tensors.Select(t => t.WithPrefix(prefix))
                .Concat(new[] { TensorSpec.Create(prefix + "bias", InitScale.FanIn(layer.Step.Layer.In), "uniform(±1/√In), as torch.nn.Linear", layer.Step.Layer.Out) });
        })
        .ToEquatableArray();

    /// <summary>The layers' FLOPs (activations and bias additions not counted).</summary>
    public long ForwardFlopsPerRow => Layers.Sum(l => l.Step.Layer.ForwardFlopsPerRow);

    /// <summary>Parameters of every layer, biases included.</summary>
    public long ParameterCount => Tensors.Sum(t => t.Length);
}
