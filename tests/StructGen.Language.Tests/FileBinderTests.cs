using System.Linq;
using StructGen.Language.Binding;
using StructGen.Language.Ir;

namespace StructGen.Language.Tests;

public class FileBinderTests
{
    private const string Demo = """
        namespace Demo.Layers;
        layer FfnUp   : 1024 -> 4096 = monarch(blocks: 16);
        layer Adapter : 768 -> 768   = dense + lowrank(r: 8);
        model Mlp     : 784 -> 10    { monarch(blocks: 28) -> 784; gelu; lowrank(r: 8) -> 10; }
        """;

    [Fact]
    public void The_design_example_binds()
    {
        BoundFile file = DslBinder.BindFile(Demo);
        Assert.Empty(file.Diagnostics);
        Assert.Equal("Demo.Layers", file.Namespace);
        Assert.Equal(new[] { "Demo.Layers.FfnUp", "Demo.Layers.Adapter", "Demo.Layers.Mlp" }, file.Declarations.Select(d => d.FullName).ToArray());
        Assert.Equal(new MonarchSpec(1024, 4096, 16), file.Layers[0].Spec);
        Assert.Equal(new AdapterSpec(768, 768, 8, 8), file.Layers[1].Spec);
        ModelSpec mlp = file.Models[0].Spec!;
        Assert.Equal(784, mlp.In);
        Assert.Equal(10, mlp.Out);
        Assert.Equal(
            new ModelStep[] { new LayerStep(new MonarchSpec(784, 784, 28), null), new ActivationStep(Activation.Gelu, 784), new LayerStep(new LowRankSpec(784, 10, 8), null) },
            mlp.Steps.ToArray());
        Assert.True(file.Layers[0].Bias);
        Assert.Equal(TextMarks.OffsetOf(Demo, "FfnUp"), file.Layers[0].NameSpan.Start);
    }

    [Fact]
    public void Layers_use_layers_in_any_order_and_chains_flatten()
    {
        const string text = """
            layer Ffn  : 768 -> 768 = Up -> 3072 -> Down;
            layer Up   : 768 -> 3072 = monarch(blocks: 16);
            layer Down : 3072 -> 768 = lowrank(r: 16) -> 64 -> dense;
            layer Res  : 768 -> 768 = Ffn + dense;
            """;
        BoundFile file = DslBinder.BindFile(text);
        Assert.Empty(file.Diagnostics);
        Assert.Null(file.Namespace);
        var ffn = Assert.IsType<ChainSpec>(file.Layers[0].Spec);
        Assert.Equal(new LayerSpec[] { new MonarchSpec(768, 3072, 16), new LowRankSpec(3072, 64, 16), new DenseSpec(64, 768) }, ffn.Factors.ToArray());
        var res = Assert.IsType<SumSpec>(file.Layers[3].Spec);
        Assert.Equal(ffn, res.Terms[0]);
        Assert.Equal("Ffn", file.Layers[0].Name);
    }

    [Fact]
    public void Model_steps_name_layers_and_the_width_flows()
    {
        const string text = """
            namespace M;
            layer Up   : 64 -> 256 = monarch(blocks: 4);
            layer Down : 256 -> 64 = lowrank(r: 16);
            model Block : 64 -> 10 { Up; gelu; Down; relu; Up -> 256 -> Down; dense + lowrank(r: 4) -> 10; }
            """;
        BoundFile file = DslBinder.BindFile(text);
        Assert.Empty(file.Diagnostics);
        ModelSpec block = file.Models[0].Spec!;
        Assert.Equal(6, block.Steps.Count);
        Assert.Equal("Up", ((LayerStep)block.Steps[0]).Name);
        Assert.Equal(new ActivationStep(Activation.Gelu, 256), block.Steps[1]);
        Assert.Equal(new ActivationStep(Activation.Relu, 64), block.Steps[3]);
        Assert.Null(((LayerStep)block.Steps[4]).Name);
        Assert.IsType<ChainSpec>(((LayerStep)block.Steps[4]).Layer);
        Assert.Equal(new AdapterSpec(64, 10, 4, 4), ((LayerStep)block.Steps[5]).Layer);
        Assert.Equal("{ Up; gelu; Down; relu; monarch(blocks: 4) -> 256 -> lowrank(r: 16) -> 64; dense + lowrank(r: 4) -> 10; }", block.Describe());
    }

    [Fact]
    public void A_step_ending_with_a_layer_takes_its_width_from_it()
    {
        BoundFile file = DslBinder.BindFile("layer Up : 8 -> 32 = dense; model M : 8 -> 32 { dense -> 8 -> Up; }");
        Assert.Empty(file.Diagnostics);
        Assert.Equal(32, file.Models[0].Spec!.Steps[0].Out);
    }

    [Fact]
    public void One_bad_declaration_leaves_the_others_alone()
    {
        const string text = """
            layer A : 8 -> 8 = monarch(blocks: 3;
            layer B : 8 -> 8 = lowrank(r: 99);
            layer C : 8 -> 8 = monarch(blocks: 3);
            layer D : 8 -> 8 = dense;
            """;
        BoundFile file = DslBinder.BindFile(text);
        Assert.Null(file.Layers[0].Spec);
        // The missing ')' is an error; what can be bound still is, so the padding warning shows while typing.
        Assert.Equal(new[] { "SG0007", "SG0007", "SG0001" }, TextMarks.Ids(file.Layers[0].Diagnostics));
        Assert.Null(file.Layers[1].Spec);
        Assert.Equal("SG0008", Assert.Single(file.Layers[1].Diagnostics).Id);
        Assert.NotNull(file.Layers[2].Spec); // padding is a warning
        Assert.All(file.Layers[2].Diagnostics, d => Assert.Equal("SG0007", d.Id));
        Assert.Empty(file.Layers[3].Diagnostics);
        Assert.Equal(new DenseSpec(8, 8), file.Layers[3].Spec);
        Assert.Equal(file.Declarations.Sum(d => d.Diagnostics.Count), file.Diagnostics.Count);
        Assert.Equal(file.Diagnostics.OrderBy(d => d.Span.Start).ToArray(), file.Diagnostics.ToArray());
    }

    [Fact]
    public void A_declaration_is_generated_exactly_when_it_has_no_error()
    {
        const string text = "layer A : 8 -> 8 = dense; layer A : 8 -> 8 = dense; layer B : 8 -> 8 = dense";
        BoundFile file = DslBinder.BindFile(text);
        Assert.All(file.Declarations, d => Assert.Equal(d.HasErrors, d is BoundLayerDeclaration { Spec: null }));
        Assert.NotNull(file.Layers[0].Spec);
        Assert.Null(file.Layers[1].Spec);
        Assert.Null(file.Layers[2].Spec);
    }

    [Fact]
    public void An_unusable_namespace_stops_every_declaration()
    {
        BoundFile file = DslBinder.BindFile("namespace Demo.class; layer A : 8 -> 8 = dense;");
        Assert.Equal("SG0024", Assert.Single(file.Diagnostics).Id);
        Assert.Null(file.Layers[0].Spec);
    }

    [Fact]
    public void Binding_a_file_is_value_equal()
    {
        BoundFile a = DslBinder.BindFile(Demo);
        BoundFile b = DslBinder.BindFile(Demo);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, DslBinder.BindFile(Demo.Replace("r: 8)", "r: 4)")));
    }

    [Fact]
    public void An_empty_file_is_empty()
    {
        BoundFile file = DslBinder.BindFile("// nothing yet\n");
        Assert.Empty(file.Declarations);
        Assert.Empty(file.Diagnostics);
    }

    [Fact]
    public void Cycles_are_reported_on_the_name_that_closes_them_and_users_of_the_cycle_say_why()
    {
        const string text = "layer A : 8 -> 8 = B + dense; layer B : 8 -> 8 = C; layer C : 8 -> 8 = A; layer D : 8 -> 8 = C;";
        BoundFile file = DslBinder.BindFile(text);
        Assert.All(file.Layers, l => Assert.Null(l.Spec));
        Assert.Equal("SG0025", Assert.Single(file.Layers[2].Diagnostics).Id);
        Assert.Contains("A -> B -> C -> A", file.Layers[2].Diagnostics[0].Message);
        Assert.Equal("SG0027", Assert.Single(file.Layers[0].Diagnostics).Id);
        Assert.Equal("SG0027", Assert.Single(file.Layers[1].Diagnostics).Id);
        Assert.Equal("SG0027", Assert.Single(file.Layers[3].Diagnostics).Id);
    }

    [Fact]
    public void A_model_is_not_a_layer()
    {
        const string text = "model M : 8 -> 8 { dense -> 8; } layer L : 8 -> 8 = M; model N : 8 -> 8 { M; }";
        BoundFile file = DslBinder.BindFile(text);
        Assert.Equal(new[] { "SG0023", "SG0023" }, TextMarks.Ids(file.Diagnostics));
        Assert.Contains("is a model", file.Diagnostics[0].Message);
    }

    [Fact]
    public void Widths_already_reported_do_not_cascade()
    {
        const string text = "model M : 8 -> 8 { dense -> 0; relu; dense -> 8; }";
        BoundFile file = DslBinder.BindFile(text);
        TextMarks.Single(file.Diagnostics, "SG0005", text, "0");
    }

    [Fact]
    public void A_broken_step_adds_no_follow_up_errors()
    {
        const string text = "model M : 8 -> 8 { (dense -> 4; relu; dense -> 8; }";
        BoundFile file = DslBinder.BindFile(text);
        Assert.Equal("SG0001", Assert.Single(file.Diagnostics).Id);
    }
}
