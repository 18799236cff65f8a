using System.Threading.Tasks;
using StructGen.Analyzers.Tests.Infrastructure;
using StructGen.CodeFixes.Shapes;

namespace StructGen.Analyzers.Tests.CodeFixes;

/// <summary>SG0008: a rank above <c>min(In, Out)</c> becomes <c>min(In, Out)</c>; a rank of zero or less becomes 1.</summary>
public sealed class RankCodeFixTests
{
    private static readonly RankCodeFixProvider s_provider = new();

    private static string Layer(string attribute) => $$"""
        using StructGen;

        [{{attribute}}]
        public sealed partial class Layer;
        """;

    [Fact]
    public async Task A_too_large_low_rank_becomes_min_of_In_and_Out()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("LowRank(r: 100, In = 64, Out = 32)"), "SG0008");

        Assert.Equal("Use r = 32 (min(In, Out))", result.Title);
        Assert.Equal(RankCodeFixProvider.EquivalenceKey, result.EquivalenceKey);
        Assert.Equal(Layer("LowRank(r: 32, In = 64, Out = 32)"), result.Text);
        Assert.DoesNotContain("SG0008", result.IdsAfter);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task A_non_positive_positional_rank_becomes_1(string rank)
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer($"LowRank({rank}, In = 8, Out = 16)"), "SG0008");

        Assert.Equal("Use r = 1 (the smallest rank)", result.Title);
        Assert.Equal(Layer("LowRank(1, In = 8, Out = 16)"), result.Text);
        Assert.DoesNotContain("SG0008", result.IdsAfter);
    }

    [Fact]
    public async Task A_too_large_BLAST_rank_is_fixed_in_place()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, Layer("BLAST(4, 100, In = 64, Out = 48)"), "SG0008");

        Assert.Equal(Layer("BLAST(4, 48, In = 64, Out = 48)"), result.Text);
        Assert.DoesNotContain("SG0008", result.IdsAfter);
    }
}
