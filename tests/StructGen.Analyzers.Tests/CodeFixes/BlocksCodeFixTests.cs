using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using StructGen.Analyzers.Tests.Infrastructure;
using StructGen.CodeFixes.Shapes;

namespace StructGen.Analyzers.Tests.CodeFixes;

/// <summary>SG0006/SG0007: <c>blocks</c> becomes the nearest divisor of the sides it splits.</summary>
public sealed class BlocksCodeFixTests
{
    private static readonly BlocksCodeFixProvider s_provider = new();

    private static string Layer(string attribute) => $$"""
        using StructGen;

        [{{attribute}}]
        public sealed partial class Layer;
        """;

    [Fact]
    public async Task Monarch_blocks_larger_than_the_features_become_the_nearest_common_divisor()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("Monarch(blocks: 40, In = 32, Out = 64)"), "SG0006");

        Assert.Equal("Use blocks = 32 (divides In = 32 and Out = 64)", result.Title);
        Assert.Equal(BlocksCodeFixProvider.EquivalenceKey, result.EquivalenceKey);
        Assert.Equal(Layer("Monarch(blocks: 32, In = 32, Out = 64)"), result.Text);
        Assert.DoesNotContain("SG0006", result.IdsAfter);
    }

    [Fact]
    public async Task Padded_Monarch_blocks_become_a_divisor_and_both_padding_warnings_go()
    {
        CodeFixHarness harness = await CodeFixHarness.CreateAsync(Layer("Monarch(blocks: 5, In = 64, Out = 64)"));
        Assert.Equal(2, harness.Diagnostics.Length);
        Assert.All(harness.Diagnostics, d => Assert.Equal("SG0007", d.Id));

        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("Monarch(blocks: 5, In = 64, Out = 64)"), "SG0007", 1);

        Assert.Equal(Layer("Monarch(blocks: 4, In = 64, Out = 64)"), result.Text);
        Assert.DoesNotContain("SG0007", result.IdsAfter);
    }

    [Fact]
    public async Task Positional_block_diagonal_blocks_keep_their_form_and_ties_go_to_the_smaller_divisor()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("BlockDiagonal(6, In = 64, Out = 128)"), "SG0007");

        Assert.Equal("Use blocks = 4 (divides In = 64 and Out = 128)", result.Title);
        Assert.Equal(Layer("BlockDiagonal(4, In = 64, Out = 128)"), result.Text);
        Assert.DoesNotContain("SG0007", result.IdsAfter);
    }

    [Fact]
    public async Task Blast_blocks_divide_every_side_they_are_not_overridden_on()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("BLAST(blocks: 3, In = 64, Out = 96)"), "SG0006");

        Assert.Equal("Use blocks = 2 (divides In = 64 and Out = 96)", result.Title);
        Assert.Equal(Layer("BLAST(blocks: 2, In = 64, Out = 96)"), result.Text);
        Assert.DoesNotContain("SG0006", result.IdsAfter);
    }

    [Fact]
    public async Task Blast_row_blocks_divide_Out_only()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("BLAST(RowBlocks = 5, ColumnBlocks = 4, In = 64, Out = 96)"), "SG0006");

        Assert.Equal("Use RowBlocks = 4 (divides Out = 96)", result.Title);
        Assert.Equal(Layer("BLAST(RowBlocks = 4, ColumnBlocks = 4, In = 64, Out = 96)"), result.Text);
        Assert.DoesNotContain("SG0006", result.IdsAfter);
    }

    [Fact]
    public async Task Blast_default_blocks_that_do_not_divide_get_written_out()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("BLAST(In = 30, Out = 64)"), "SG0006");

        Assert.Equal("Use blocks = 2 (divides In = 30 and Out = 64)", result.Title);
        Assert.Equal(Layer("BLAST(blocks: 2, In = 30, Out = 64)"), result.Text);
        Assert.DoesNotContain("SG0006", result.IdsAfter);
    }

    [Fact]
    public async Task A_diagnostic_inside_a_DSL_string_gets_no_fix()
    {
        const string Source = """
            [StructGen.StructuredLinear("monarch(blocks: 5)", In = 64, Out = 64)]
            public sealed partial class Layer;
            """;
        CodeFixHarness harness = await CodeFixHarness.CreateAsync(Source);
        SyntaxTree tree = (await harness.Document.GetSyntaxTreeAsync())!;
        int at = Source.IndexOf("5)\"", System.StringComparison.Ordinal);
        var descriptor = new DiagnosticDescriptor("SG0006", "Blocks do not divide the features", "{0}", "StructGen.Shape", DiagnosticSeverity.Error, true);
        Diagnostic inString = Diagnostic.Create(descriptor, Location.Create(tree, new TextSpan(at, 1)), "monarch");

        Assert.Empty(await harness.ActionsAsync(s_provider, inString));
    }
}
