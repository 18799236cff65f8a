using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace StructGen.Generators.Tests.Infrastructure;

/// <summary>A <c>.sgl</c> file handed to the generator as an AdditionalFile, in memory.</summary>
internal sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryAdditionalText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text, Encoding.UTF8);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>
/// Runs <see cref="StructuredLayerGenerator"/> over C# sources and <c>.sgl</c> files (AdditionalFiles), as the
/// compiler does for a project that references the package: <see cref="GeneratorHarness"/> plus additional texts.
/// </summary>
internal static class DslHarness
{
    /// <summary>A driver with the <c>.sgl</c> files; step tracking on.</summary>
    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files)
        => CSharpGeneratorDriver.Create(
            new[] { new StructuredLayerGenerator().AsSourceGenerator() },
            files,
            GeneratorHarness.ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs once over <paramref name="files"/> (path, text) and the C# <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(IEnumerable<(string Path, string Text)> files, params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(sources);
        GeneratorDriver driver = Driver(files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)))
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        return new GeneratorRun(compilation, output, driver, driverDiagnostics);
    }

    /// <summary>Runs once over one <c>.sgl</c> file at <paramref name="path"/>.</summary>
    public static GeneratorRun RunFile(string text, string path = "/project/Layers.sgl", params string[] sources)
        => Run(new[] { (path, text) }, sources);
}
