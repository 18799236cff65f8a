using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Tests.Infrastructure;
using StructGen.Language.Diagnostics;

namespace StructGen.Generators.Tests;

/// <summary>
/// Every diagnostic of the attribute path as the compiler sees it: id, severity, message, and a
/// location that is exactly the argument at fault (or the type's identifier, or the attribute when
/// nothing narrower is to blame). A rejected declaration generates nothing; a warned one still does.
/// </summary>
public class DiagnosticTests
{
    /// <summary>Catalog entries the attribute path can report (the others belong to the DSL and call sites).</summary>
    private static readonly string[] s_attributePathIds =
    {
        "SG0003", "SG0004", "SG0005", "SG0006", "SG0007", "SG0008", "SG0009", "SG0013", "SG0014", "SG0015",
        "SG0016", "SG0017", "SG0018", "SG0019", "SG0020",
    };

    public static IEnumerable<object[]> Cases => new[]
    {
        // SG0003: an argument the structure does not take (the compiler also errors; the generator names it).
        Case("SG0003", "[Monarch(blocks: 4, In = 8, Out = 8, «Rank = 3»)] public partial class L;", "'Monarch' has no argument 'Rank'"),

        // SG0004: missing sizes are reported on the whole attribute (there is no argument to point at).
        Case("SG0004", "[«Monarch(blocks: 4, Out = 8)»] public partial class L;", "Missing 'In': declare it, e.g. [Monarch(…, In = 1024, Out = 1024)]"),
        Case("SG0004", "[«Dense(In = 8)»] public partial class L;", "Missing 'Out'"),
        Case("SG0004", "[«LowRank(In = 8, Out = 8)»] public partial class L;", "Missing 'r'", "[LowRank(r: 64, In = …, Out = …)]"),
        Case("SG0004", "[«Monarch(In = 8, Out = 8)»] public partial class L;", "Missing 'blocks'", "monarch(blocks: 16)"),

        // SG0005: non-positive sizes and counts.
        Case("SG0005", "[Dense(«In = 0», Out = 8)] public partial class L;", "'In' must be a positive integer but is 0"),
        Case("SG0005", "[Dense(In = 8, «Out = -3»)] public partial class L;", "'Out' must be a positive integer but is -3"),
        Case("SG0005", "[Monarch(«blocks: -4», In = 8, Out = 8)] public partial class L;", "'blocks' must be a positive integer but is -4"),
        Case("SG0005", "[BlockDiagonal(«0», In = 8, Out = 8)] public partial class L;", "'blocks' must be a positive integer but is 0"),
        Case("SG0005", "[Kronecker(In = 8, Out = 8, «Out1 = -2»)] public partial class L;", "'Out1' must be a positive integer but is -2"),
        Case("SG0005", "[BLAST(In = 8, Out = 8, «RowBlocks = -1»)] public partial class L;", "'RowBlocks' must be a positive integer but is -1"),
        Case("SG0005", "[Dense(«In = int.MinValue», Out = 8)] public partial class L;", "but is -2147483648"),

        // SG0006: BLAST blocks must divide exactly; Monarch and block-diagonal blocks may not exceed the features.
        Case("SG0006", "[BLAST(«blocks: 5», In = 768, Out = 770)] public partial class L;", "blast: blocks = 5 does not divide In = 768; use a divisor such as"),
        Case("SG0006", "[BLAST(«6», In = 12, Out = 20)] public partial class L;", "blast: blocks = 6 does not divide Out = 20"),
        Case("SG0006", "[BLAST(In = 100, Out = 300, «ColumnBlocks = 3»)] public partial class L;", "does not divide In = 100"),
        Case("SG0006", "[Monarch(«blocks: 7», In = 4, Out = 8)] public partial class L;", "monarch: blocks = 7 does not divide In = 4", "(blocks cannot exceed the features)"),
        Case("SG0006", "[BlockDiagonal(«blocks: 9», In = 16, Out = 8)] public partial class L;", "blockdiag: blocks = 9 does not divide Out = 8"),

        // SG0007: padding is a warning and the layer is still generated.
        Case("SG0007", "[Monarch(«blocks: 5», In = 770, Out = 768)] public partial class L;", "monarch: blocks = 5 does not divide Out = 768; features are zero-padded to 770 (0.3% more compute)"),
        Case("SG0007", "[BlockDiagonal(«blocks: 4», In = 64, Out = 10)] public partial class L;", "blockdiag: blocks = 4 does not divide Out = 10; features are zero-padded to 12 (20% more compute)"),

        // SG0008: ranks in 1..min(In, Out).
        Case("SG0008", "[LowRank(«r: 0», In = 8, Out = 8)] public partial class L;", "Rank r = 0 must be between 1 and min(In, Out) = 8; use r = 8 or less"),
        Case("SG0008", "[LowRank(«-2», In = 8, Out = 8)] public partial class L;", "Rank r = -2 must be between 1"),
        Case("SG0008", "[LowRank(«r: 100», In = 64, Out = 32)] public partial class L;", "Rank r = 100 must be between 1 and min(In, Out) = 32"),
        Case("SG0008", "[BLAST(blocks: 4, «r: 65», In = 64, Out = 64)] public partial class L;", "Rank r = 65 must be between 1 and min(In, Out) = 64"),

        // SG0009: Kronecker factors must divide and multiply to the sizes.
        Case("SG0009", "[Kronecker(In = 768, Out = 768, «In1 = 5»)] public partial class L;", "Kronecker factors: In1 = 5 does not divide In = 768; use a divisor such as"),
        Case("SG0009", "[Kronecker(In = 12, Out = 12, In1 = 3, «In2 = 5»)] public partial class L;", "In1·In2 = 3·5 = 15 but In = 12", "choose In2 = 12/In1 = 4"),
        Case("SG0009", "[Kronecker(In = 12, Out = 35, «Out2 = 6»)] public partial class L;", "Out2 = 6 does not divide Out = 35"),

        // SG0013–SG0015, SG0018: the shape of the type, reported on its identifier.
        Case("SG0013", "[Dense(In = 8, Out = 8)] public class «NotPartial» { }", "'NotPartial' must be declared 'partial' so StructGen can complete it"),
        Case("SG0014", "public class Outer { [Dense(In = 8, Out = 8)] public partial class «Inner»; }", "'Inner' is nested in 'Outer', which must also be declared 'partial'"),
        Case("SG0015", "[Dense(In = 8, Out = 8)] public partial class «Gen»<T>;", "'Gen' is generic; a structured layer has fixed shapes, declare a non-generic class"),
        Case("SG0018", "[Dense(In = 8, Out = 8)] public partial record «Rec»;", "'Rec' is a record; declare it as a (non-static, non-record) partial class"),
        Case("SG0018", "[Dense(In = 8, Out = 8)] public partial struct «Str»;", "'Str' is a struct"),
        Case("SG0018", "[Dense(In = 8, Out = 8)] public partial record struct «RecStr»;", "'RecStr' is a record"),
        Case("SG0018", "[Dense(In = 8, Out = 8)] public static partial class «Stat»;", "'Stat' is a static class"),
        Case("SG0018", "[Dense(In = 8, Out = 8)] public abstract partial class «Abs»;", "'Abs' is an abstract class"),

        // SG0016: a structure no smaller than dense is a warning on the attribute; the layer is still generated.
        Case("SG0016", "[«BlockDiagonal(blocks: 1, In = 64, Out = 64)»] public partial class L;", "blockdiag(blocks: 1) has 4096 weights, at least as many as dense (4096)"),
        Case("SG0016", "[«LowRank(r: 8, In = 8, Out = 8)»] public partial class L;", "lowrank(r: 8) has 128 weights, at least as many as dense (64); use fewer blocks or a smaller rank"),

        // SG0017: sizes that do not fit 32-bit indexing.
        Case("SG0017", "[«Dense(In = 65536, Out = 65536)»] public partial class L;", "In·Out = 4294967296 exceeds what a layer can index (2^31 - 1 elements)"),
        Case("SG0017", "[«Monarch(blocks: 256, In = 65536, Out = 65536)»] public partial class L;", "In·Out = 4294967296"),
        Case("SG0017", "[«Dense(In = int.MaxValue, Out = 1)»] public partial class L;", "the parameter count = 2147483648"),
        Case("SG0017", "[Dense(«In = 3000000000L», Out = 8)] public partial class L;", "In = 3000000000 exceeds"),

        // SG0019: constants of the wrong type, and values that are not constants at all.
        Case("SG0019", "[Monarch(«blocks: \"four\"», In = 8, Out = 8)] public partial class L;", "Argument 'blocks' must be an integer constant but is four"),
        Case("SG0019", "[Dense(In = 8, Out = 8, «Bias = 1»)] public partial class L;", "Argument 'Bias' must be true or false but is 1"),
        Case("SG0019", "[Dense(«In = 2.5», Out = 8)] public partial class L;", "Argument 'In' must be an integer constant but is 2.5"),
        Case("SG0019", "[Dense(In = 8, «Out = System.Environment.ProcessorCount»)] public partial class L;", "but is System.Environment.ProcessorCount"),

        // SG0020: two structures on one type, reported once on its identifier.
        Case("SG0020", "[Dense(In = 8, Out = 8)] [LowRank(r: 2, In = 8, Out = 8)] public partial class «Two»;", "'Two' has more than one structure attribute; keep one"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostic_has_its_id_severity_message_and_exact_location(string id, string markedSource, string[] messageParts)
    {
        MarkedSource source = MarkedSource.Parse("using StructGen;\n\nnamespace Demo;\n\n" + markedSource + "\n");
        GeneratorRun run = GeneratorHarness.Run(source.Text);
        Assert.Null(run.Result.Exception);

        List<Diagnostic> matching = run.Diagnostics.Where(d => d.Id == id).ToList();
        Diagnostic diagnostic = Assert.Single(matching);
        DiagnosticDescriptorInfo entry = DiagnosticCatalog.All.Single(e => e.Id == id);
        Assert.Equal(entry.Severity == DiagnosticSeverityLevel.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(entry.Title, diagnostic.Descriptor.Title.ToString(CultureInfo.InvariantCulture));
        Assert.EndsWith("#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri, System.StringComparison.Ordinal);

        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string part in messageParts)
        {
            Assert.Contains(part, message, System.StringComparison.Ordinal);
        }

        // The location: this file, exactly the marked text, with lines and columns that agree with the span.
        SyntaxTree tree = run.Input.SyntaxTrees.Single();
        Assert.Equal(tree.FilePath, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(source.MarkedText, source.Text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(tree.GetLineSpan(source.Span).Span, diagnostic.Location.GetLineSpan().Span);

        // Errors reject the declaration; warnings leave it generated.
        bool rejected = run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(diagnostic.Severity == DiagnosticSeverity.Error, rejected);
        Assert.Equal(rejected ? 0 : 1, run.Sources.Length);
    }

    [Fact]
    public void Cases_cover_every_attribute_path_diagnostic()
    {
        var covered = new HashSet<string>(Cases.Select(c => (string)c[0]));
        string[] missing = s_attributePathIds.Where(id => !covered.Contains(id)).ToArray();
        Assert.True(missing.Length == 0, "no case for " + string.Join(", ", missing));
    }

    [Fact]
    public void Both_padded_sides_are_reported_and_the_layer_is_generated()
    {
        MarkedSource source = MarkedSource.Parse("using StructGen;\n[BlockDiagonal(«blocks: 4», In = 10, Out = 7)] public partial class Padded;\n");
        GeneratorRun run = GeneratorHarness.Run(source.Text);

        Assert.Equal(new[] { "SG0007", "SG0007" }, run.Diagnostics.Select(d => d.Id).ToArray());
        Assert.All(run.Diagnostics, d => Assert.Equal(source.Span, d.Location.SourceSpan));
        string[] messages = run.Diagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains(messages, m => m.Contains("does not divide In = 10; features are zero-padded to 12", System.StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("does not divide Out = 7; features are zero-padded to 8", System.StringComparison.Ordinal));
        Assert.Single(run.Sources);
    }

    [Fact]
    public void Every_problem_of_one_declaration_is_reported_at_once()
    {
        const string source = """
            using StructGen;
            public class Outer
            {
                [Dense(In = 0, Out = -1)]
                public static class Bad<T> { }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Equal(
            new[] { "SG0005", "SG0005", "SG0013", "SG0014", "SG0015", "SG0018" },
            run.Diagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal).ToArray());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_rejected_declaration_does_not_stop_its_neighbours()
    {
        const string source = """
            using StructGen;
            namespace Demo;
            [Monarch(blocks: 7, In = 4, Out = 8)] public partial class Broken;
            [Monarch(blocks: 2, In = 4, Out = 8)] public partial class Fine;
            [LowRank(r: 2, In = 4, Out = 8)] public class NotPartial;
            [LowRank(r: 2, In = 4, Out = 8)] public partial class AlsoFine;
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Equal(new[] { "SG0006", "SG0013" }, run.Diagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal).ToArray());
        Assert.Equal(new[] { "Demo.AlsoFine.g.cs", "Demo.Fine.g.cs" }, run.Sources.Select(s => s.HintName).OrderBy(h => h, System.StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Two_structures_are_reported_once_whatever_their_order()
    {
        const string source = """
            using StructGen;
            [LowRank(r: 2, In = 8, Out = 8)]
            [Monarch(blocks: 2, In = 8, Out = 8)]
            [BLAST(In = 8, Out = 8)]
            public partial class Three;
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Equal("SG0020", Assert.Single(run.Diagnostics).Id);
        Assert.Empty(run.Sources);
    }

    /// <summary>
    /// A layer named like a member of its generated class (<c>In</c>, <c>K</c>, <c>Inner</c>, <c>Gemm</c>) or like a
    /// type the generated code names unqualified (<c>Math</c>, <c>Unsafe</c>) is accepted today and its generated
    /// code would fail with CS0542/CS0117: both the .sgl and the attribute path reserve these names (SG0024).
    /// </summary>
    [Theory]
    [InlineData("In")]
    [InlineData("Inner")]
    [InlineData("Gemm")]
    [InlineData("Math")]
    [InlineData("Unsafe")]
    public void Layer_named_like_the_generated_code_uses_is_rejected_on_its_identifier(string name)
    {
        MarkedSource source = MarkedSource.Parse($"using StructGen;\nnamespace Demo;\n[Monarch(blocks: 2, In = 8, Out = 8)] public partial class «{name}»;\n");
        GeneratorRun run = GeneratorHarness.Run(source.Text);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG0024", diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Empty(run.Sources);
    }

    private static object[] Case(string id, string markedSource, params string[] messageParts)
        => new object[] { id, markedSource, messageParts };
}
