using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StructGen.Generators;

namespace StructGen.Gpu.Tests.Generator;

/// <summary>
/// Runs both generators in-process over in-memory sources, as the compiler would on a user's project:
/// net10.0 reference assemblies, the StructGen runtime, and ILGPU only when the test says so.
/// </summary>
internal static class GpuGeneratorHarness
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions s_options = new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    private static readonly ImmutableArray<MetadataReference> s_withoutIlgpu = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(IStructuredLinear).Assembly.Location))
        .ToImmutableArray();

    private static readonly ImmutableArray<MetadataReference> s_withIlgpu = s_withoutIlgpu
        .Append(MetadataReference.CreateFromFile(typeof(ILGPU.Context).Assembly.Location))
        .ToImmutableArray();

    public static CSharpCompilation Compilation(bool ilgpu, params string[] sources)
        => CSharpCompilation.Create(
            "UserProject",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, s_parseOptions, $"Layer{i}.cs")),
            ilgpu ? s_withIlgpu : s_withoutIlgpu,
            s_options);

    /// <summary>A driver with the main generator and the GPU generator, step tracking on, over <paramref name="sglFiles"/> (AdditionalFiles).</summary>
    public static GeneratorDriver Driver(params (string Path, string Text)[] sglFiles) => CSharpGeneratorDriver.Create(
        new[] { new StructuredLayerGenerator().AsSourceGenerator(), new GpuLayerGenerator().AsSourceGenerator() },
        sglFiles.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)),
        s_parseOptions,
        optionsProvider: null,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GpuRun Run(bool ilgpu, params string[] sources) => Run(ilgpu, System.Array.Empty<(string, string)>(), sources);

    /// <summary>Runs both generators over C# <paramref name="sources"/> and <c>.sgl</c> files (path, text).</summary>
    public static GpuRun Run(bool ilgpu, (string Path, string Text)[] sglFiles, params string[] sources)
    {
        CSharpCompilation input = Compilation(ilgpu, sources);
        GeneratorDriver driver = Driver(sglFiles).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return new GpuRun(output, driver);
    }

    /// <summary>A <c>.sgl</c> file as the compiler hands it to generators.</summary>
    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text, System.Text.Encoding.UTF8);

        public override string Path { get; } = path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) => _text;
    }
}

/// <summary>One run of both generators.</summary>
internal sealed record GpuRun(Compilation Output, GeneratorDriver Driver)
{
    public GeneratorRunResult Main => Driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(StructuredLayerGenerator));

    public GeneratorRunResult Gpu => Driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(GpuLayerGenerator));

    public IEnumerable<GeneratedSourceResult> AllSources => Driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources);

    /// <summary>Errors and warnings of the output compilation located in generated trees.</summary>
    public IReadOnlyList<Diagnostic> GeneratedCodeDiagnostics()
    {
        var generated = new HashSet<SyntaxTree>(AllSources.Select(s => s.SyntaxTree));
        return Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree))
            .ToList();
    }

    public IReadOnlyList<Diagnostic> Errors() => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
}
