using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using StructGen.Analyzers.Tests.Infrastructure;
using StructGen.CodeFixes.Declarations;

namespace StructGen.Analyzers.Tests.CodeFixes;

/// <summary>SG0013 and SG0014: the fix adds <c>partial</c> where the generator needs it, and the error goes away.</summary>
public sealed class MakePartialCodeFixTests
{
    private static readonly MakePartialCodeFixProvider s_provider = new();

    [Fact]
    public async Task A_layer_type_with_modifiers_gets_partial_before_the_class_keyword()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, """
            using StructGen;

            [LowRank(r: 4, In = 32, Out = 32)]
            public sealed class Layer;
            """, "SG0013");

        Assert.Equal("Make 'Layer' partial", result.Title);
        Assert.Equal(MakePartialCodeFixProvider.MakeTypePartialKey, result.EquivalenceKey);
        Assert.Equal("""
            using StructGen;

            [LowRank(r: 4, In = 32, Out = 32)]
            public sealed partial class Layer;
            """, result.Text);
        Assert.Empty(result.IdsAfter);
    }

    [Fact]
    public async Task A_layer_type_without_modifiers_keeps_its_trivia()
    {
        FixResult result = await CodeFixHarness.FixAsync(s_provider, """
            namespace Demo
            {
                /// <summary>A layer.</summary>
                [StructGen.Monarch(blocks: 4, In = 16, Out = 16)]
                class Layer
                {
                }
            }
            """, "SG0013");

        Assert.Equal("""
            namespace Demo
            {
                /// <summary>A layer.</summary>
                [StructGen.Monarch(blocks: 4, In = 16, Out = 16)]
                partial class Layer
                {
                }
            }
            """, result.Text);
        Assert.DoesNotContain("SG0013", result.IdsAfter);
    }

    [Fact]
    public async Task Each_containing_type_diagnostic_fixes_the_type_it_names()
    {
        const string Source = """
            using StructGen;

            public static class Outer
            {
                public class Middle
                {
                    [LowRank(r: 4, In = 32, Out = 32)]
                    public sealed partial class Layer;
                }
            }
            """;
        CodeFixHarness harness = await CodeFixHarness.CreateAsync(Source);
        Assert.Equal(2, harness.Diagnostics.Count(d => d.Id == "SG0014"));

        FixResult middle = await CodeFixHarness.FixAsync(s_provider, Source, "SG0014", 0);
        FixResult outer = await CodeFixHarness.FixAsync(s_provider, Source, "SG0014", 1);

        Assert.Equal(new[] { "Make 'Middle' partial", "Make 'Outer' partial" }, new[] { middle.Title, outer.Title }.OrderBy(t => t));
        Assert.All(new[] { middle, outer }, r => Assert.Equal(MakePartialCodeFixProvider.MakeContainingTypePartialKey, r.EquivalenceKey));
        FixResult fixedMiddle = middle.Title.Contains("Middle") ? middle : outer;
        Assert.Contains("    public partial class Middle", fixedMiddle.Text);
        Assert.Contains("public static class Outer", fixedMiddle.Text);
        // One containing type is still not partial.
        Assert.Equal(new[] { "SG0014" }, fixedMiddle.IdsAfter);

        FixResult both = await CodeFixHarness.FixAsync(s_provider, fixedMiddle.Text, "SG0014");
        Assert.Equal("Make 'Outer' partial", both.Title);
        Assert.Contains("public static partial class Outer", both.Text);
        Assert.Empty(both.IdsAfter);
    }

    [Fact]
    public async Task A_diagnostic_the_IDE_mapped_onto_the_document_is_fixed_the_same_way()
    {
        CodeFixHarness harness = await CodeFixHarness.CreateAsync("""
            [StructGen.LowRank(r: 4, In = 32, Out = 32)]
            internal class Layer;
            """);
        Diagnostic reported = harness.Single("SG0013");
        Assert.Equal(LocationKind.ExternalFile, reported.Location.Kind);
        SyntaxTree tree = (await harness.Document.GetSyntaxTreeAsync())!;
        Diagnostic mapped = Diagnostic.Create(reported.Descriptor, Location.Create(tree, reported.Location.SourceSpan), "Layer");

        (_, Document fixedDocument) = await harness.ApplyAsync(s_provider, mapped);

        Assert.Equal("""
            [StructGen.LowRank(r: 4, In = 32, Out = 32)]
            internal partial class Layer;
            """, (await fixedDocument.GetTextAsync()).ToString());
    }
}
