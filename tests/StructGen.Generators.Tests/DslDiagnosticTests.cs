using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// Diagnostics of the DSL as the compiler sees them: in .sgl files on the exact token of the file, and for
/// <c>[StructuredLinear("…")]</c> on the exact token inside the string, however the string is written.
/// Duplicate names across files and attribute layers are reported, never a duplicate hint or a crash.
/// </summary>
public class DslDiagnosticTests
{
    private const string Path = "/project/Layers.sgl";

    public static IEnumerable<object[]> SglCases => new[]
    {
        SglCase("SG0001", "layer One : 8 -> 8 = dense +«;»\nlayer Fine : 8 -> 8 = dense;", "expected a structure"),
        SglCase("SG0002", "namespace N;\n\nlayer A : 8 -> 8 = dense + «monarh»(blocks: 4);", "did you mean 'monarch'?"),
        SglCase("SG0006", "layer A : 768 -> 770 =\n    blast(blocks: «5»);", "blast: blocks = 5 does not divide In = 768"),
        SglCase("SG0008", "layer A : 8 -> 8 = dense + lowrank(r: «99»);", "Rank r = 99 must be between 1 and min(In, Out) = 8"),
        SglCase("SG0010", "layer Up : 8 -> 32 = dense;\r\nlayer S : 8 -> 8 = dense + «Up»;", "Operands of '+' must have the same shape"),
        SglCase("SG0011", "model M : 8 -> 10 { dense -> «12»; }", "the previous step gives"),
        SglCase("SG0012", "layer A : 1 -> 1 = dense;\nmodel «A» : 1 -> 1 { relu; }", "'A' is declared more than once"),
        SglCase("SG0023", "model M : 8 -> 8 { «rleu»; }", "did you mean 'relu'?"),
        SglCase("SG0024", "layer «dense» : 8 -> 8 = dense;", "'dense' is reserved"),
        // Names the generated class cannot have: one of its own members, or a type its code uses.
        SglCase("SG0024", "layer «R» : 8 -> 8 = lowrank(r: 2);", "'R' is reserved (a member of the generated class has that name)"),
        SglCase("SG0024", "namespace N;\nmodel «Math» : 4 -> 4 { relu; }", "'Math' is reserved (the generated code uses a type of that name)"),
    };

    [Theory]
    [MemberData(nameof(SglCases))]
    public void Sgl_diagnostic_is_on_the_token_at_fault_in_the_file(string id, string marked, string message)
    {
        MarkedSource source = MarkedSource.Parse(marked);
        GeneratorRun run = DslHarness.RunFile(source.Text, Path);
        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Id == id);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        AssertLocation(diagnostic, Path, source.Text, source.Span);
        Assert.Empty(run.GeneratedCodeDiagnostics());
    }

    [Fact]
    public void A_broken_declaration_generates_nothing_and_the_rest_of_the_file_is_generated()
    {
        GeneratorRun run = DslHarness.RunFile("namespace N;\nlayer One : 8 -> 8 = dense +;\nlayer Fine : 8 -> 8 = dense + lowrank(r: 2);\nmodel M : 8 -> 4 { Fine; gelu; dense -> 4; }");
        Assert.Equal(["N.Fine.sgl.g.cs", "N.M.sgl.g.cs"], run.Sources.Select(s => s.HintName).OrderBy(h => h, System.StringComparer.Ordinal));
        Assert.Equal("SG0001", Assert.Single(run.Diagnostics).Id);
        Assert.Empty(run.GeneratedCodeDiagnostics());
    }

    [Fact]
    public void Duplicate_names_across_sgl_files_are_reported_on_the_later_file()
    {
        const string first = "namespace Shared;\nlayer Block : 8 -> 8 = dense;";
        const string second = "namespace Shared;\n\nlayer Other : 4 -> 4 = dense;\nlayer Block : 8 -> 8 = lowrank(r: 2);";
        GeneratorRun run = DslHarness.Run(new[] { ("/project/b/Second.sgl", second), ("/project/a/First.sgl", first) });
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.DriverDiagnostics.Concat(run.Diagnostics), d => d.Id == "CS8785");
        Diagnostic duplicate = Assert.Single(run.Diagnostics);
        Assert.Equal("SG0012", duplicate.Id);
        Assert.Contains("'Shared.Block' is declared more than once", duplicate.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        int at = second.LastIndexOf("Block", System.StringComparison.Ordinal);
        AssertLocation(duplicate, "/project/b/Second.sgl", second, new TextSpan(at, "Block".Length));
        Assert.Equal(["Shared.Block.sgl.g.cs", "Shared.Other.sgl.g.cs"], run.Sources.Select(s => s.HintName).OrderBy(h => h, System.StringComparer.Ordinal));
        Assert.Contains("private const int In = 8;", run.Sources.Single(s => s.HintName == "Shared.Block.sgl.g.cs").SourceText.ToString(), System.StringComparison.Ordinal);
        Assert.DoesNotContain("lowrank", run.Sources.Single(s => s.HintName == "Shared.Block.sgl.g.cs").SourceText.ToString(), System.StringComparison.Ordinal);
        Assert.Empty(run.Errors());
    }

    [Fact]
    public void A_sgl_declaration_named_like_an_attribute_layer_is_reported_and_the_attribute_layer_kept()
    {
        const string file = "namespace Demo;\nlayer Ffn : 8 -> 8 = dense;";
        GeneratorRun run = DslHarness.RunFile(file, Path, "using StructGen; namespace Demo; [LowRank(r: 2, In = 8, Out = 8)] public partial class Ffn;");
        Diagnostic duplicate = Assert.Single(run.Diagnostics);
        Assert.Equal("SG0012", duplicate.Id);
        AssertLocation(duplicate, Path, file, new TextSpan(file.IndexOf("Ffn", System.StringComparison.Ordinal), 3));
        Assert.Equal("Demo.Ffn.g.cs", Assert.Single(run.Sources).HintName);
        Assert.Empty(run.Errors());
    }

    [Fact]
    public void Names_that_differ_only_in_case_get_distinct_hint_names()
    {
        // Roslyn compares hint names without regard to case; the classes themselves are distinct.
        GeneratorRun run = DslHarness.Run(new[]
        {
            ("/project/One.sgl", "namespace N;\nlayer Block : 4 -> 4 = dense;\nlayer BLOCK : 4 -> 4 = dense;"),
            ("/project/Two.sgl", "namespace N;\nmodel block : 4 -> 4 { relu; }"),
        });
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Equal(["N.BLOCK.2.sgl.g.cs", "N.Block.sgl.g.cs", "N.block.3.sgl.g.cs"], run.Sources.Select(s => s.HintName).OrderBy(h => h, System.StringComparer.Ordinal));
        Assert.Empty(run.Errors());
    }

    public static IEnumerable<object[]> InlineCases => new[]
    {
        InlineCase("regular string", "[StructuredLinear(\"dense + «monarh»(blocks: 4)\", In = 8, Out = 8)]"),
        InlineCase("named argument", "[StructuredLinear(expression: \"dense + «monarh»(blocks: 4)\", Out = 8, In = 8)]"),
        InlineCase("verbatim string", "[StructuredLinear(@\"dense +\n    «monarh»(blocks: 4)\", In = 8, Out = 8)]"),
        InlineCase("escapes before the token", "[StructuredLinear(\"dense \\u002B\\t«monarh»(blocks: 4)\", In = 8, Out = 8)]"),
        InlineCase("one-line raw string", "[StructuredLinear(\"\"\"dense + «monarh»(blocks: 4)\"\"\", In = 8, Out = 8)]"),
        InlineCase("multi-line raw string", "[StructuredLinear(\"\"\"\n        dense\n        + «monarh»(blocks: 4)\n        \"\"\", In = 8, Out = 8)]"),
        // A constant has no characters of its own in the attribute: the DSL's diagnostics go on the argument.
        InlineCase("constant", "[StructuredLinear(«Dsl.Expression», In = 8, Out = 8)]"),
        InlineCase("concatenation", "[StructuredLinear(«\"dense + \" + \"monarh(blocks: 4)\"», In = 8, Out = 8)]"),
    };

    [Theory]
    [MemberData(nameof(InlineCases))]
    public void StructuredLinear_diagnostic_is_on_the_token_inside_the_string(string kind, string attribute)
    {
        string marked = $"using StructGen;\n\nnamespace Demo;\n\ninternal static class Dsl\n{{\n    public const string Expression = \"dense + monarh(blocks: 4)\";\n}}\n\n{attribute}\npublic partial class Inline;\n";
        MarkedSource source = MarkedSource.Parse(marked);
        GeneratorRun run = GeneratorHarness.Run(source.Text);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("SG0002", diagnostic.Id);
        Assert.Contains("Unknown structure 'monarh'; did you mean 'monarch'?", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        AssertLocation(diagnostic, "Layer0.cs", source.Text, source.Span, kind);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void StructuredLinear_size_errors_stay_on_the_attribute_arguments()
    {
        MarkedSource source = MarkedSource.Parse("using StructGen;\n[StructuredLinear(\"lowrank(r: 4)\", «In = 0», Out = 8)]\npublic partial class L;");
        Diagnostic diagnostic = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics);
        Assert.Equal("SG0005", diagnostic.Id);
        AssertLocation(diagnostic, "Layer0.cs", source.Text, source.Span);

        source = MarkedSource.Parse("using StructGen;\n[StructuredLinear(\"dense + lowrank(r: «99»)\", In = 8, Out = 8)]\npublic partial class L;");
        diagnostic = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics);
        Assert.Equal("SG0008", diagnostic.Id);
        AssertLocation(diagnostic, "Layer0.cs", source.Text, source.Span);
    }

    [Fact]
    public void StructuredLinear_is_checked_like_every_structure_attribute()
    {
        MarkedSource source = MarkedSource.Parse("using StructGen;\n[StructuredLinear(\"dense\", In = 8, Out = 8)]\npublic class «L»;");
        Diagnostic diagnostic = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics);
        Assert.Equal("SG0013", diagnostic.Id);
        AssertLocation(diagnostic, "Layer0.cs", source.Text, source.Span);
    }

    private static object[] SglCase(string id, string marked, string message) => new object[] { id, marked, message };

    private static object[] InlineCase(string kind, string attribute) => new object[] { kind, attribute };

    private static void AssertLocation(Diagnostic diagnostic, string path, string text, TextSpan expected, string? what = null)
    {
        Location location = diagnostic.Location;
        FileLinePositionSpan lines = location.GetLineSpan();
        Assert.Equal(path, lines.Path);
        Assert.True(expected == location.SourceSpan,
            $"{what ?? diagnostic.Id}: expected «{text.Substring(expected.Start, expected.Length)}» at {expected} but the diagnostic is on «{Slice(text, location.SourceSpan)}» at {location.SourceSpan}");
        LinePositionSpan expectedLines = SourceText.From(text).Lines.GetLinePositionSpan(expected);
        Assert.Equal(expectedLines, lines.Span);
    }

    private static string Slice(string text, TextSpan span)
        => span.End <= text.Length ? text.Substring(span.Start, span.Length) : "(outside the text)";
}
