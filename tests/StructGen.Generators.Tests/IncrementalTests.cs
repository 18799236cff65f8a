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

namespace StructGen.Generators.Tests;

/// <summary>
/// The pipeline caches: an edit that touches no declaration regenerates nothing, an edit to one layer
/// regenerates only that layer, a diagnostic-only change regenerates no code, and the models that make
/// this possible hold nothing of the compilation.
/// </summary>
public class IncrementalTests
{
    private const string LayerFile = """
        using StructGen;

        namespace Demo;

        [Monarch(blocks: 4, In = 64, Out = 64)]
        public partial class A;

        [BLAST(blocks: 2, In = 16, Out = 8)]
        public partial class C;
        """;

    private const string OtherLayerFile = """
        using StructGen;

        namespace Demo;

        [LowRank(r: 4, In = 32, Out = 16)]
        public partial class B;
        """;

    /// <summary>A warned (padded) layer, so the diagnostics branch has something to cache.</summary>
    private const string PaddedLayerFile = """
        using StructGen;

        namespace Demo;

        [Monarch(blocks: 3, In = 10, Out = 14)]
        public partial class Padded;
        """;

    private const string UnrelatedFile = """
        namespace Demo;

        public class Unrelated
        {
            public int Compute(int x)
            {
                return x + 1;
            }
        }
        """;

    private static readonly string[] s_trackedSteps =
    {
        StructuredLayerGenerator.Steps.Parse, StructuredLayerGenerator.Steps.Models, StructuredLayerGenerator.Steps.Diagnostics,
    };

    public static IEnumerable<object[]> UnrelatedEdits => new[]
    {
        new object[] { "add a file", (Func<Compilation, Compilation>)(c => c.AddSyntaxTrees(Parse("namespace Demo; public class Added { }", "Added.cs"))) },
        new object[] { "add a comment", (Func<Compilation, Compilation>)(c => Edit(c, "Unrelated.cs", "public class Unrelated", "// a comment\npublic class Unrelated")) },
        new object[] { "change a method body", (Func<Compilation, Compilation>)(c => Edit(c, "Unrelated.cs", "return x + 1;", "return x * 2 + 1;")) },
        new object[] { "add a member", (Func<Compilation, Compilation>)(c => Edit(c, "Unrelated.cs", "public int Compute", "public string Name => \"n\";\n    public int Compute")) },
        new object[] { "remove a file", (Func<Compilation, Compilation>)(c => c.RemoveSyntaxTrees(c.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs"))) },
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edit_leaves_every_step_cached(string edit, Func<Compilation, Compilation> change)
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        GeneratorRunResult result = driver.RunGenerators(change(compilation)).GetRunResult().Results.Single();

        foreach (string step in s_trackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"{edit}: step '{step}' was not tracked");
        }
        // Every step the generator names in Steps, including any added later, not only the attribute path's three
        // (Roslyn's own steps, such as the compilation itself, are tracked too and do change).
        foreach (string step in GeneratorStepNames().Where(result.TrackedSteps.ContainsKey))
        {
            Assert.All(Outputs(result, step), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{edit}: a '{step}' output is {o.Reason}: {o.Value}"));
        }
        Assert.NotEmpty(SourceOutputs(result));
        Assert.All(SourceOutputs(result), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_one_attribute_regenerates_only_that_layer()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        string before = Generated(driver, "Demo.C.g.cs");
        string beforeA = Generated(driver, "Demo.A.g.cs");
        driver = driver.RunGenerators(Edit(compilation, "Layers.cs", "blocks: 4, In = 64", "blocks: 8, In = 64"));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        // Only A's model changed: C (same file) is re-parsed but equal, B and Padded are not even re-parsed.
        var modified = Outputs(result, StructuredLayerGenerator.Steps.Models).Where(o => o.Reason != IncrementalStepRunReason.Cached && o.Reason != IncrementalStepRunReason.Unchanged).ToList();
        Assert.Equal("A", TypeNameOf(Assert.Single(modified).Value));
        Assert.Equal(IncrementalStepRunReason.Modified, modified[0].Reason);

        // One source output regenerated; the rest are cached.
        var outputs = SourceOutputs(result);
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(outputs.Where(o => o.Reason != IncrementalStepRunReason.Modified), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        Assert.Equal(before, Generated(driver, "Demo.C.g.cs"));
        Assert.NotEqual(beforeA, Generated(driver, "Demo.A.g.cs"));
        Assert.Contains("private const int K = 8;", Generated(driver, "Demo.A.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_a_warned_declaration_updates_its_diagnostic_without_regenerating_code()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        driver = driver.RunGenerators(Edit(compilation, "Padded.cs", "namespace Demo;", "namespace Demo;\n\n// shifts the declaration down two lines\n"));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        // The diagnostic's span moved, so the diagnostics branch runs again…
        Assert.Contains(Outputs(result, StructuredLayerGenerator.Steps.Diagnostics), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(result.Diagnostics, d => Assert.Equal(7, d.Location.GetLineSpan().StartLinePosition.Line));
        // …but the model is equal, so no code is regenerated.
        Assert.All(Outputs(result, StructuredLayerGenerator.Steps.Models), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"model {o.Reason}"));
        var codeOutputs = SourceOutputs(result, StructuredLayerGenerator.Steps.Models);
        Assert.NotEmpty(codeOutputs);
        Assert.All(codeOutputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Removing_an_attribute_removes_its_output()
    {
        (GeneratorDriver driver, Compilation compilation) = Warm();
        driver = driver.RunGenerators(Edit(compilation, "OtherLayers.cs", "[LowRank(r: 4, In = 32, Out = 16)]", ""));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "Demo.B.g.cs");
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    [Fact]
    public void Parse_results_of_separate_compilations_are_equal()
    {
        // Two compilations parsed from scratch share no objects: equal results mean value equality.
        GeneratorRunResult first = Run(Files(), out _);
        GeneratorRunResult second = Run(Files(), out _);
        foreach (string step in s_trackedSteps)
        {
            var a = Outputs(first, step).Select(o => o.Value).ToList();
            var b = Outputs(second, step).Select(o => o.Value).ToList();
            Assert.NotEmpty(a);
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                Assert.NotSame(a[i], b[i]);
                Assert.Equal(a[i], b[i]);
                Assert.Equal(a[i].GetHashCode(), b[i].GetHashCode());
            }
        }
    }

    [Fact]
    public void Pipeline_models_hold_nothing_of_the_compilation()
    {
        // Every structure, nesting, a warning and several errors, so every model type is reached.
        var sources = SnapshotDeclarations.All.Select(c => (string)c[1]).Concat(new[]
        {
            "using StructGen; public class Outer { [Kronecker(In = 12, Out = 12, In1 = 5)] public class Bad<T> { } }",
            "using StructGen; [BlockDiagonal(blocks: 1, In = 8, Out = 8)] public partial class NoSaving;",
        }).ToArray();
        GeneratorRunResult result = Run(sources.Select((s, i) => ($"File{i}.cs", s)).ToArray(), out _);

        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (string step in s_trackedSteps)
        {
            foreach ((object value, _) in Outputs(result, step))
            {
                Walk(value, $"{step} output", visited, reached);
            }
        }
        // The walk must actually have gone through the models, not stopped at the surface.
        foreach (string type in new[] { "ParseResult", "LayerModel", "HierarchyInfo", "TypeDeclarationInfo", "DiagnosticInfo", "MonarchSpec", "BlastSpec", "KroneckerSpec", "LowRankSpec", "DenseSpec", "BlockDiagonalSpec" })
        {
            Assert.Contains(type, reached);
        }
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
                or AttributeData or SyntaxToken or SyntaxTrivia or IOperation or SourceText or Delegate,
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

    /// <summary>The tracking names the generator declares in <see cref="StructuredLayerGenerator.Steps"/>.</summary>
    private static IEnumerable<string> GeneratorStepNames()
        => typeof(StructuredLayerGenerator.Steps)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    private static (string Path, string Source)[] Files() => new[]
    {
        ("Layers.cs", LayerFile), ("OtherLayers.cs", OtherLayerFile), ("Padded.cs", PaddedLayerFile), ("Unrelated.cs", UnrelatedFile),
    };

    private static (GeneratorDriver Driver, Compilation Compilation) Warm()
    {
        Compilation compilation = GeneratorHarness.Compilation(Files());
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal(4, first.GeneratedSources.Length);
        Assert.All(first.Diagnostics, d => Assert.Equal("SG0007", d.Id));
        return (driver, compilation);
    }

    private static GeneratorRunResult Run((string Path, string Source)[] files, out Compilation compilation)
    {
        compilation = GeneratorHarness.Compilation(files);
        return GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult().Results.Single();
    }

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path);

    private static Compilation Edit(Compilation compilation, string path, string oldText, string newText)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        string text = tree.GetText().ToString();
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, Parse(text.Replace(oldText, newText, StringComparison.Ordinal), path));
    }

    private static string Generated(GeneratorDriver driver, string hintName)
        => driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    private static ImmutableArray<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
        => result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).ToImmutableArray()
            : ImmutableArray<(object, IncrementalStepRunReason)>.Empty;

    /// <summary>Outputs of the source-output nodes, optionally only those fed by the step named <paramref name="fedBy"/>.</summary>
    private static List<(object Value, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRunResult result, string? fedBy = null)
        => result.TrackedOutputSteps.Values
            .SelectMany(steps => steps)
            .Where(s => fedBy is null || s.Inputs.Any(i => i.Source.Name == fedBy))
            .SelectMany(s => s.Outputs)
            .ToList();

    /// <summary>The layer name of a <c>LayerModel</c> (internal to the generator), read by reflection.</summary>
    private static string TypeNameOf(object model)
    {
        object hierarchy = model.GetType().GetProperty("Hierarchy")!.GetValue(model)!;
        return (string)hierarchy.GetType().GetProperty("TypeName")!.GetValue(hierarchy)!;
    }
}
