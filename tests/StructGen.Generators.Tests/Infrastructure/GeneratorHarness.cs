using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StructGen.Generators;

namespace StructGen.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="StructuredLayerGenerator"/> in-process over in-memory sources, as the compiler would
/// on a user's project: net10.0 reference assemblies plus the StructGen runtime for the attributes.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        // Generated code must build in a project that treats warnings as errors; keep the default warning level.
        generalDiagnosticOption: ReportDiagnostic.Default);

    private static readonly ImmutableArray<MetadataReference> s_references = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(IStructuredLinear).Assembly.Location))
        .ToImmutableArray();

    /// <summary>A compilation of <paramref name="sources"/>, the i-th in file <c>Layer{i}.cs</c> unless named.</summary>
    public static CSharpCompilation Compilation(params string[] sources)
        => Compilation(sources.Select((s, i) => (Path: $"Layer{i}.cs", Source: s)));

    public static CSharpCompilation Compilation(IEnumerable<(string Path, string Source)> files)
        => CSharpCompilation.Create(
            "UserProject",
            files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)),
            s_references,
            s_compilationOptions);

    /// <summary>A driver for the generator; step tracking on so the incremental tests can read each step's reasons.</summary>
    public static GeneratorDriver Driver()
        => CSharpGeneratorDriver.Create(
            new[] { new StructuredLayerGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(Compilation(sources));

    /// <summary>
    /// The CPU source generated for <c>{attribute} public partial class Layer;</c> in namespace <c>Demo</c>, after checking
    /// that the generator reported no error: the tests that pin the shape of one layer's kernels read it.
    /// </summary>
    public static string LayerSource(string attribute)
    {
        GeneratorRun run = Run($$"""
            using StructGen;
            namespace Demo;
            {{attribute}} public partial class Layer;
            """);
        Xunit.Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return run.Sources.Single(s => s.HintName.Contains("Layer") && !s.HintName.Contains(".Gpu.")).SourceText.ToString();
    }

    public static GeneratorRun Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        return new GeneratorRun(compilation, output, driver, driverDiagnostics);
    }
}

/// <summary>One generator run: its input, the compilation with the generated trees added, and what it reported.</summary>
internal sealed record GeneratorRun(Compilation Input, Compilation Output, GeneratorDriver Driver, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>Diagnostics the generator reported (SG…), in source order.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    public ImmutableArray<GeneratedSourceResult> Sources => Result.GeneratedSources;

    /// <summary>Compiler errors (and warnings) located in the generated trees.</summary>
    public IReadOnlyList<Diagnostic> GeneratedCodeDiagnostics(DiagnosticSeverity atLeast = DiagnosticSeverity.Warning)
    {
        var generated = new HashSet<SyntaxTree>(Sources.Select(s => s.SyntaxTree));
        return Output.GetDiagnostics()
            .Where(d => d.Severity >= atLeast && d.Location.SourceTree is { } tree && generated.Contains(tree))
            .ToList();
    }

    /// <summary>Every error of the whole output compilation, user code included.</summary>
    public IReadOnlyList<Diagnostic> Errors()
        => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
}
