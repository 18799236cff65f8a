using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using StructGen.Generators.Tests.Infrastructure;
using Steps = StructGen.Generators.StructuredLayerGenerator.Steps;

namespace StructGen.Generators.Tests;

/// <summary>
/// The .sgl branch caches: editing one .sgl file re-binds only that file and regenerates only the
/// declarations whose spec changed; a comment or layout edit regenerates nothing; an unrelated C# edit
/// leaves every step cached; and the branch's models hold nothing of the compilation.
/// </summary>
public class DslIncrementalTests
{
    private const string FirstFile = """
        namespace Demo;

        // two layers
        layer Up   : 16 -> 32 = monarch(blocks: 4);
        layer Down : 32 -> 16 = lowrank(r: 4) + blockdiag(blocks: 2);
        """;

    private const string SecondFile = """
        namespace Demo;

        layer Mix : 16 -> 16 = dense + lowrank(r: 2);
        model Net : 16 -> 8 { Mix; gelu; kronecker(2x4, 4x4) -> 8; }
        """;

    private const string AttributeFile = """
        using StructGen;

        namespace Demo;

        [StructuredLinear("lowrank(r: 2) -> 8 -> dense", In = 16, Out = 16)]
        public partial class Inline;
        """;

    private const string UnrelatedFile = """
        namespace Demo;

        public class Unrelated
        {
            public int Compute(int x) => x + 1;
        }
        """;

    private static readonly string[] s_sglSteps =
    {
        Steps.SglText, Steps.SglBind, Steps.SglDeclarations, Steps.Names, Steps.SglResolve, Steps.SglModels, Steps.AttributeNames,
    };

    private static readonly InMemoryAdditionalText s_first = new("/project/First.sgl", FirstFile);
    private static readonly InMemoryAdditionalText s_second = new("/project/Second.sgl", SecondFile);

    public static IEnumerable<object[]> UnrelatedEdits => new[]
    {
        new object[] { "add a C# file", (Func<Compilation, Compilation>)(c => c.AddSyntaxTrees(Parse("namespace Demo; public class Added { }", "Added.cs"))) },
        new object[] { "change a method body", (Func<Compilation, Compilation>)(c => Edit(c, "Unrelated.cs", "x + 1", "x * 2 + 1")) },
        new object[] { "add a comment", (Func<Compilation, Compilation>)(c => Edit(c, "Unrelated.cs", "public class", "// note\npublic class")) },
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edit_leaves_every_step_cached(string edit, Func<Compilation, Compilation> change)
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        GeneratorRunResult result = driver.RunGenerators(change(compilation)).GetRunResult().Results.Single();
        foreach (string step in s_sglSteps.Concat(new[] { Steps.Parse, Steps.Models }))
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"{edit}: step '{step}' was not tracked");
            Assert.All(Outputs(result, step), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{edit}: a '{step}' output is {o.Reason}: {o.Value}"));
        }
        Assert.NotEmpty(SourceOutputs(result));
        Assert.All(SourceOutputs(result), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_one_sgl_file_regenerates_only_what_changed_in_it()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        string mix = Generated(driver, "Demo.Mix.sgl.g.cs"), net = Generated(driver, "Demo.Net.sgl.g.cs"), up = Generated(driver, "Demo.Up.sgl.g.cs");
        driver = driver.ReplaceAdditionalText(s_first, new InMemoryAdditionalText(s_first.Path, FirstFile.Replace("lowrank(r: 4) + blockdiag", "lowrank(r: 3) + blockdiag", StringComparison.Ordinal)));
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        // Only First.sgl is read and bound again…
        Assert.Equal("/project/First.sgl", PathOf(Assert.Single(Changed(result, Steps.SglBind))));
        // …and of its declarations only Down's output changed.
        Assert.Equal("Down", NameOf(Assert.Single(Changed(result, Steps.SglModels))));
        List<(object Value, IncrementalStepRunReason Reason)> sources = SourceOutputs(result);
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(sources.Where(o => o.Reason != IncrementalStepRunReason.Modified), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Contains("private const int T0_R = 3;", Generated(driver, "Demo.Down.sgl.g.cs"), StringComparison.Ordinal);
        Assert.Equal(mix, Generated(driver, "Demo.Mix.sgl.g.cs"));
        Assert.Equal(net, Generated(driver, "Demo.Net.sgl.g.cs"));
        Assert.Equal(up, Generated(driver, "Demo.Up.sgl.g.cs"));
    }

    [Fact]
    public void A_comment_or_layout_edit_in_a_sgl_file_regenerates_nothing()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        string edited = "// a new header comment\n\n" + FirstFile.Replace("layer Up   : 16 -> 32 = monarch(blocks: 4);", "layer Up : 16 -> 32 =\n    monarch(blocks: 4); /* reflowed */", StringComparison.Ordinal);
        driver = driver.ReplaceAdditionalText(s_first, new InMemoryAdditionalText(s_first.Path, edited));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Single(Changed(result, Steps.SglBind));
        Assert.Empty(Changed(result, Steps.SglModels));
        Assert.Empty(Changed(result, Steps.Names));
        Assert.All(SourceOutputs(result), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Adding_a_declaration_elsewhere_regenerates_nothing_existing()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        driver = driver.ReplaceAdditionalText(s_second, new InMemoryAdditionalText(s_second.Path, SecondFile + "\nlayer Extra : 4 -> 4 = dense;\n"));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        // The name table changed, so every declaration is resolved again, but only the new one has new output.
        Assert.Equal("Extra", NameOf(Assert.Single(Changed(result, Steps.SglModels))));
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Demo.Extra.sgl.g.cs");
        Assert.Equal(6, result.GeneratedSources.Length);
    }

    [Fact]
    public void Removing_a_sgl_file_removes_its_outputs()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        driver = driver.RemoveAdditionalTexts(ImmutableArray.Create<AdditionalText>(s_second));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Equal(["Demo.Down.sgl.g.cs", "Demo.Inline.g.cs", "Demo.Up.sgl.g.cs"], result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
    }

    [Fact]
    public void A_duplicate_that_appears_and_goes_away_is_reported_then_cleared()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        var withDuplicate = new InMemoryAdditionalText(s_second.Path, SecondFile + "\nlayer Up : 4 -> 4 = dense;\n");
        driver = driver.ReplaceAdditionalText(s_second, withDuplicate);
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Equal("SG0012", Assert.Single(result.Diagnostics).Id);
        Assert.Contains("Demo.Up", result.Diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(5, result.GeneratedSources.Length);

        driver = driver.ReplaceAdditionalText(withDuplicate, new InMemoryAdditionalText(s_second.Path, SecondFile));
        result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Empty(result.Diagnostics);
        Assert.Equal(5, result.GeneratedSources.Length);
    }

    [Fact]
    public void Sgl_pipeline_models_hold_nothing_of_the_compilation()
    {
        // Errors and duplicates too, so the diagnostic paths are walked.
        GeneratorRunResult result = DslHarness.Run(new[]
        {
            ("/project/First.sgl", FirstFile), ("/project/Second.sgl", SecondFile),
            ("/project/Broken.sgl", "namespace Demo; layer Up : 8 -> 8 = dense; layer Bad : 8 -> 8 = monarh(blocks: 2); layer Chain : 8 -> 8 = dense -> 4 -> dense;"),
        }, AttributeFile, UnrelatedFile).Result;
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (string step in s_sglSteps.Concat(new[] { Steps.SglDiagnostics }))
        {
            foreach ((object value, _) in Outputs(result, step))
            {
                Walk(value, $"{step} output", visited, reached);
            }
        }
        foreach (string type in new[] { "SglText", "SglFile", "SglDeclaration", "NameTable", "SglClaim", "ClaimedName", "SglResolution", "SglOutput", "LayerModel", "ModelInfo", "ModelSpec", "SumSpec", "ChainSpec", "AdapterSpec", "DiagnosticInfo" })
        {
            Assert.Contains(type, reached);
        }
    }

    [Fact]
    public void Results_of_separate_runs_are_equal_values()
    {
        GeneratorRunResult first = Warm().Driver.GetRunResult().Results.Single();
        GeneratorRunResult second = Warm().Driver.GetRunResult().Results.Single();
        foreach (string step in s_sglSteps)
        {
            var a = Outputs(first, step).Select(o => o.Value).ToList();
            var b = Outputs(second, step).Select(o => o.Value).ToList();
            Assert.NotEmpty(a);
            Assert.Equal(a, b);
            Assert.Equal(a.Select(v => v.GetHashCode()), b.Select(v => v.GetHashCode()));
        }
    }

    private static (GeneratorDriver Driver, Compilation Compilation) Warm()
    {
        Compilation compilation = GeneratorHarness.Compilation(new[] { ("Inline.cs", AttributeFile), ("Unrelated.cs", UnrelatedFile) });
        GeneratorDriver driver = DslHarness.Driver(new AdditionalText[] { s_first, s_second }).RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Empty(first.Diagnostics);
        Assert.Equal(5, first.GeneratedSources.Length);
        return (driver, compilation);
    }

    private static IEnumerable<object> Changed(GeneratorRunResult result, string step)
        => Outputs(result, step).Where(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified).Select(o => o.Value);

    private static ImmutableArray<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
        => result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).ToImmutableArray()
            : ImmutableArray<(object, IncrementalStepRunReason)>.Empty;

    private static List<(object Value, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRunResult result)
        => result.TrackedOutputSteps.Values.SelectMany(steps => steps).SelectMany(s => s.Outputs).ToList();

    private static string Generated(GeneratorDriver driver, string hintName)
        => driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>The file of an <c>SglFile</c> (internal to the generator), read by reflection.</summary>
    private static string PathOf(object file) => (string)file.GetType().GetProperty("Path")!.GetValue(file)!;

    /// <summary>The class name of an <c>SglOutput</c>: its layer's or model's hierarchy's type name.</summary>
    private static string NameOf(object output)
    {
        object model = output.GetType().GetProperty("Layer")!.GetValue(output) ?? output.GetType().GetProperty("Model")!.GetValue(output)!;
        object hierarchy = model.GetType().GetProperty("Hierarchy")!.GetValue(model)!;
        return (string)hierarchy.GetType().GetProperty("TypeName")!.GetValue(hierarchy)!;
    }

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path);

    private static Compilation Edit(Compilation compilation, string path, string oldText, string newText)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        string text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, Parse(text.Replace(oldText, newText, StringComparison.Ordinal), path));
    }

    /// <summary>Fails on anything of the compilation reachable from <paramref name="value"/>.</summary>
    private static void Walk(object? value, string path, HashSet<object> visited, HashSet<string> reached)
    {
        if (value is null || value is string || value is Type)
        {
            return;
        }
        Type type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is decimal)
        {
            return;
        }
        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or SyntaxReference
                or AttributeData or SyntaxToken or SyntaxTrivia or IOperation or SourceText or AdditionalText or Delegate,
            $"{path} holds a {type.FullName}");
        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }
        reached.Add(type.Name);
        if (value is IEnumerable items && type.IsArray)
        {
            int i = 0;
            foreach (object? item in items)
            {
                Walk(item, $"{path}[{i++}]", visited, reached);
            }
            return;
        }
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), $"{path}.{field.Name}", visited, reached);
            }
        }
    }
}
