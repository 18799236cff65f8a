using System.Linq;
using StructGen.Language.Binding;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;

namespace StructGen.Language.Tests;

public class ExpressionBinderTests
{
    private static LayerSpec Bind(string expression, int inFeatures, int outFeatures)
    {
        BoundLayer bound = DslBinder.BindExpression(expression, inFeatures, outFeatures);
        Assert.True(bound.Spec is not null, TextMarks.Describe(bound.Diagnostics));
        Assert.DoesNotContain(bound.Diagnostics, d => d.Descriptor.Severity == DiagnosticSeverityLevel.Error);
        return bound.Spec!;
    }

    [Fact]
    public void Primitives_take_their_sizes_from_the_flow()
    {
        Assert.Equal(new DenseSpec(768, 256), Bind("dense", 768, 256));
        Assert.Equal(new LowRankSpec(768, 256, 8), Bind("lowrank(r: 8)", 768, 256));
        Assert.Equal(new MonarchSpec(1024, 4096, 16), Bind("monarch(blocks: 16)", 1024, 4096));
        Assert.Equal(new BlockDiagonalSpec(1024, 512, 8), Bind("blockdiag(blocks: 8)", 1024, 512));
        Assert.Equal(new BlastSpec(1024, 1024, 4, 4, 16), Bind("blast(blocks: 4, r: 16)", 1024, 1024));
        Assert.Equal(new BlastSpec(1024, 512, 4, 2, 16), Bind("blast(rows: 4, columns: 2, r: 16)", 1024, 512));
        Assert.Equal(new BlastSpec(1024, 1024, StructureBinder.DefaultBlastBlocks, StructureBinder.DefaultBlastBlocks, 128), Bind("blast", 1024, 1024));
    }

    [Fact]
    public void Kronecker_factors_are_Out_by_In()
    {
        Assert.Equal(new KroneckerSpec(1024, 2048, In1: 32, Out1: 64, In2: 32, Out2: 32), Bind("kronecker(64x32, 32x32)", 1024, 2048));
        Assert.Equal(new KroneckerSpec(1024, 1024, 32, 32, 32, 32), Bind("kronecker", 1024, 1024));
        Assert.Equal(new KroneckerSpec(1024, 1024, 32, 32, 32, 32), Bind("kronecker()", 1024, 1024));
        Assert.Equal(new KroneckerSpec(768, 1024, In1: 24, Out1: 16, In2: 32, Out2: 64), Bind("kronecker(16×24)", 768, 1024));
    }

    [Fact]
    public void Adapter_sum_in_either_order()
    {
        var adapter = Assert.IsType<AdapterSpec>(Bind("dense + lowrank(r: 8)", 768, 768));
        Assert.Equal(new AdapterSpec(768, 768, 8, 8), adapter);
        Assert.Equal(1.0, adapter.Scaling);
        Assert.Equal(new AdapterSpec(768, 512, 8, 16), Bind("lowrank(r: 8, alpha: 16) + dense", 768, 512));
        Assert.Equal(2.0, ((AdapterSpec)Bind("dense + lowrank(r: 8, alpha: 16)", 64, 64)).Scaling);
    }

    [Fact]
    public void Other_sums_prefix_by_position_and_flatten()
    {
        var sum = Assert.IsType<SumSpec>(Bind("dense + lowrank(r: 8) + monarch(blocks: 4)", 64, 64));
        Assert.Equal(new LayerSpec[] { new DenseSpec(64, 64), new LowRankSpec(64, 64, 8), new MonarchSpec(64, 64, 4) }, sum.Terms.ToArray());
        var flattened = Assert.IsType<SumSpec>(Bind("(monarch(blocks: 4) + (lowrank(r: 2) + lowrank(r: 3))) + dense", 64, 64));
        Assert.Equal(4, flattened.Terms.Count);
        var withAdapter = Assert.IsType<SumSpec>(Bind("(dense + lowrank(r: 2)) + monarch(blocks: 4)", 64, 64));
        Assert.IsType<AdapterSpec>(withAdapter.Terms[0]);
    }

    [Fact]
    public void Chains_flow_their_inner_widths()
    {
        var chain = Assert.IsType<ChainSpec>(Bind("monarch(blocks: 4) -> 256 -> lowrank(r: 8) -> 32 -> dense", 1024, 10));
        Assert.Equal(new LayerSpec[] { new MonarchSpec(1024, 256, 4), new LowRankSpec(256, 32, 8), new DenseSpec(32, 10) }, chain.Factors.ToArray());
        Assert.Equal(new[] { 256, 32 }, chain.InnerWidths.ToArray());
        var nested = Assert.IsType<ChainSpec>(Bind("(dense -> 8 -> dense) -> 16 -> dense", 32, 4));
        Assert.Equal(3, nested.Factors.Count);
    }

    [Fact]
    public void Sums_inside_chains_and_chains_inside_sums()
    {
        var chain = Assert.IsType<ChainSpec>(Bind("dense + lowrank(r: 4) -> 64 -> monarch(blocks: 4) + lowrank(r: 2)", 128, 32));
        Assert.Equal(new AdapterSpec(128, 64, 4, 4), chain.Factors[0]);
        Assert.IsType<SumSpec>(chain.Factors[1]);
        var sum = Assert.IsType<SumSpec>(Bind("(lowrank(r: 2) -> 16 -> dense) + lowrank(r: 4)", 64, 64));
        Assert.Equal(new ChainSpec(64, 64, EquatableArrayOf(new LowRankSpec(64, 16, 2), new DenseSpec(16, 64))), sum.Terms[0]);
    }

    [Theory]
    [InlineData("dense + lowrank(r: 8)", 768, 768)]
    [InlineData("dense + lowrank(r: 8, alpha: 32)", 768, 768)]
    [InlineData("monarch(blocks: 4) -> 256 -> lowrank(r: 8)", 1024, 512)]
    [InlineData("(lowrank(r: 2) -> 16 -> dense) + lowrank(r: 4) + (dense + lowrank(r: 1))", 64, 64)]
    [InlineData("dense + lowrank(r: 4) -> 64 -> monarch(blocks: 4) + lowrank(r: 2) -> 8 -> kronecker(4x2, 8x4)", 128, 32)]
    [InlineData("blast(rows: 4, columns: 2, r: 16) -> 64 -> blockdiag(blocks: 8)", 1024, 512)]
    [InlineData("kronecker -> 100 -> kronecker(10x10, 3x10)", 64, 30)]
    public void Describe_round_trips_through_the_parser(string expression, int inFeatures, int outFeatures)
    {
        LayerSpec spec = Bind(expression, inFeatures, outFeatures);
        string described = spec.Describe();
        Assert.Equal(spec, Bind(described, inFeatures, outFeatures));
        Assert.Equal(described, Bind(described, inFeatures, outFeatures).Describe());
    }

    [Fact]
    public void Binding_is_value_equal()
    {
        BoundLayer a = DslBinder.BindExpression("monarch(blocks: 5) -> 64 -> lowrank(r: 8)", 768, 768);
        BoundLayer b = DslBinder.BindExpression("monarch(blocks: 5) -> 64 -> lowrank(r: 8)", 768, 768);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, DslBinder.BindExpression("monarch(blocks: 5) -> 64 -> lowrank(r: 9)", 768, 768));
    }

    [Fact]
    public void Diagnostics_land_at_the_origin_of_the_expression()
    {
        // The expression of [StructuredLinear("…")] starting at offset 200, line 12, column 30 of a C# file.
        var origin = new SourceSpan(200, 0, 12, 30, 12, 30);
        BoundLayer bound = DslBinder.BindExpression("dense + lowrank(r: 9000)", 768, 768, origin);
        LanguageDiagnostic d = Assert.Single(bound.Diagnostics);
        Assert.Equal("SG0008", d.Id);
        Assert.Equal(new SourceSpan(219, 4, 12, 49, 12, 53), d.Span);
    }

    [Fact]
    public void Warnings_keep_the_spec()
    {
        BoundLayer bound = DslBinder.BindExpression("monarch(blocks: 5)", 768, 768);
        Assert.Equal(new MonarchSpec(768, 768, 5), bound.Spec);
        Assert.Equal(new[] { "SG0007", "SG0007" }, TextMarks.Ids(bound.Diagnostics));
        Assert.False(bound.HasErrors);
    }

    private static Collections.EquatableArray<LayerSpec> EquatableArrayOf(params LayerSpec[] specs) => Collections.EquatableArray.Create(specs);
}
