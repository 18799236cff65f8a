using System.Linq;
using StructGen.Language.Binding;
using StructGen.Language.Ir;

namespace StructGen.Language.Tests;

public class IrTests
{
    private static LayerSpec Bind(string expression, int inFeatures, int outFeatures)
        => DslBinder.BindExpression(expression, inFeatures, outFeatures).Spec ?? throw new Xunit.Sdk.XunitException(expression);

    private static string[] Tensors(LayerSpec spec) => spec.Tensors.Select(t => t.Name + " " + t.ShapeText).ToArray();

    [Fact]
    public void Adapter_uses_peft_names_and_zero_lora_B()
    {
        var adapter = (AdapterSpec)Bind("dense + lowrank(r: 8, alpha: 16)", 768, 512);
        Assert.Equal(new[] { "weight [512, 768]", "lora_A [8, 768]", "lora_B [512, 8]" }, Tensors(adapter));
        Assert.Equal(0.0, adapter.Tensors[2].InitBound);
        Assert.Equal(adapter.Base.Tensors[0].InitBound, adapter.Tensors[0].InitBound);
        Assert.Equal(2.0 * 768 * 512 + 2.0 * 8 * (768 + 512) + 8 + 512, adapter.ForwardFlopsPerRow);
        Assert.Equal(768L * 512 + 8 * 768 + 512 * 8, adapter.WeightCount);
        Assert.Equal(new LowRankSpec(768, 512, 8), adapter.Update);
    }

    [Fact]
    public void Sum_prefixes_each_operand_by_position()
    {
        var sum = Bind("monarch(blocks: 4) + lowrank(r: 8) + dense", 64, 64);
        Assert.Equal(new[] { "0.blkdiag1 [4, 16, 16]", "0.blkdiag2 [4, 16, 16]", "1.A [8, 64]", "1.B [64, 8]", "2.weight [64, 64]" }, Tensors(sum));
        long parts = new MonarchSpec(64, 64, 4).ForwardFlopsPerRow + new LowRankSpec(64, 64, 8).ForwardFlopsPerRow + new DenseSpec(64, 64).ForwardFlopsPerRow;
        Assert.Equal(parts + 2 * 64, sum.ForwardFlopsPerRow);
        Assert.Equal("monarch(blocks: 4) + lowrank(r: 8) + dense", sum.Describe());
    }

    [Fact]
    public void Sum_with_an_adapter_operand_nests_its_names()
    {
        var sum = Bind("(dense + lowrank(r: 2)) + blockdiag(blocks: 2)", 8, 8);
        Assert.Equal(new[] { "0.weight [8, 8]", "0.lora_A [2, 8]", "0.lora_B [8, 2]", "1.weight [2, 4, 4]" }, Tensors(sum));
        Assert.Equal("(dense + lowrank(r: 2)) + blockdiag(blocks: 2)", sum.Describe());
    }

    [Fact]
    public void Chain_prefixes_each_factor_and_adds_flops()
    {
        var chain = (ChainSpec)Bind("lowrank(r: 4) -> 32 -> dense", 64, 16);
        Assert.Equal(new[] { "0.A [4, 64]", "0.B [32, 4]", "1.weight [16, 32]" }, Tensors(chain));
        Assert.Equal((2L * 4 * (64 + 32)) + (2L * 32 * 16), chain.ForwardFlopsPerRow);
        Assert.Equal("lowrank(r: 4) -> 32 -> dense", chain.Describe());
        Assert.Equal((4L * 64) + (32 * 4) + (16 * 32), chain.WeightCount);
    }

    [Fact]
    public void Chain_describes_sum_factors_without_parentheses_and_chain_factors_with()
    {
        var chain = new ChainSpec(8, 8, Collections.EquatableArray.Create<LayerSpec>(
            new SumSpec(8, 4, Collections.EquatableArray.Create<LayerSpec>(new DenseSpec(8, 4), new LowRankSpec(8, 4, 2))),
            new ChainSpec(4, 8, Collections.EquatableArray.Create<LayerSpec>(new DenseSpec(4, 2), new DenseSpec(2, 8)))));
        Assert.Equal("dense + lowrank(r: 2) -> 4 -> (dense -> 2 -> dense)", chain.Describe());
    }

    [Fact]
    public void Model_keys_tensors_like_nn_Sequential()
    {
        BoundFile file = DslBinder.BindFile("model Mlp : 64 -> 10 { monarch(blocks: 4) -> 64; gelu; lowrank(r: 8) -> 10; relu; }");
        ModelSpec model = file.Models[0].Spec!;
        Assert.Equal(
            new[] { "0.blkdiag1 [4, 16, 16]", "0.blkdiag2 [4, 16, 16]", "0.bias [64]", "2.A [8, 64]", "2.B [10, 8]", "2.bias [10]" },
            model.Tensors.Select(t => t.Name + " " + t.ShapeText).ToArray());
        Assert.Equal(new MonarchSpec(64, 64, 4).ForwardFlopsPerRow + new LowRankSpec(64, 10, 8).ForwardFlopsPerRow, model.ForwardFlopsPerRow);
        Assert.Equal("{ monarch(blocks: 4) -> 64; gelu; lowrank(r: 8) -> 10; relu; }", model.Describe());
        Assert.Equal(new ActivationStep(Activation.Gelu, 64), model.Steps[1]);
        Assert.Equal(new[] { 0, 2 }, model.Layers.Select(l => l.Index).ToArray());
        Assert.Equal(model.Tensors.Sum(t => t.Length), model.ParameterCount);
    }

    [Fact]
    public void Model_describe_round_trips()
    {
        const string body = "{ dense + lowrank(r: 2) -> 32; tanh; monarch(blocks: 2) -> 16 -> dense -> 8; sigmoid; }";
        ModelSpec first = DslBinder.BindFile($"model M : 32 -> 8 {body}").Models[0].Spec!;
        Assert.Equal(body, first.Describe());
        ModelSpec second = DslBinder.BindFile($"model M : 32 -> 8 {first.Describe()}").Models[0].Spec!;
        Assert.Equal(first, second);
    }

    [Fact]
    public void Activation_names_round_trip()
    {
        foreach (string name in ActivationNames.All)
        {
            Assert.True(ActivationNames.TryParse(name, out Activation a));
            Assert.Equal(name, ActivationNames.Name(a));
        }
    }
}
