using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using StructGen.Generators;

namespace StructGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Drives a code fix the way the IDE does for a generator diagnostic: the source is a document of an
/// <see cref="AdhocWorkspace"/> project, <see cref="StructuredLayerGenerator"/> runs over the project's
/// compilation to produce the diagnostics, and the fix provider is asked for actions on one of them.
/// </summary>
internal sealed class CodeFixHarness
{
    private const string FileName = "Layer.cs";

    private CodeFixHarness(Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        Document = document;
        Diagnostics = diagnostics;
    }

    public Document Document { get; }

    /// <summary>Everything the generator reported for the document, in source order.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public static async Task<CodeFixHarness> CreateAsync(string source)
    {
        var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId, VersionStamp.Create(), "UserProject", "UserProject", LanguageNames.CSharp,
                compilationOptions: TestReferences.CompilationOptions,
                parseOptions: TestReferences.ParseOptions,
                metadataReferences: TestReferences.All));
        DocumentId documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, FileName, SourceText.From(source), filePath: FileName);
        Document document = solution.GetDocument(documentId)!;
        return new CodeFixHarness(document, await GeneratorDiagnosticsAsync(document).ConfigureAwait(false));
    }

    /// <summary>Runs the generator over the document's project and returns what it reported.</summary>
    public static async Task<ImmutableArray<Diagnostic>> GeneratorDiagnosticsAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync().ConfigureAwait(false))!;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new StructuredLayerGenerator().AsSourceGenerator() },
            parseOptions: TestReferences.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        ImmutableArray<Diagnostic> reported = driver.GetRunResult().Diagnostics;
        // The sources are valid C#; what is wrong is for the generator to say (it emits nothing for a rejected layer).
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return reported.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id).ToImmutableArray();
    }

    /// <summary>The single diagnostic with <paramref name="id"/> (or the <paramref name="index"/>-th of several).</summary>
    public Diagnostic Single(string id, int index = 0)
    {
        List<Diagnostic> matching = Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count > index, $"expected {id} among: {string.Join("; ", Diagnostics)}");
        return matching[index];
    }

    /// <summary>The actions <paramref name="provider"/> offers for <paramref name="diagnostic"/>.</summary>
    public async Task<IReadOnlyList<CodeAction>> ActionsAsync(CodeFixProvider provider, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(Document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return actions;
    }

    /// <summary>Applies the one action offered for <paramref name="diagnostic"/>; returns it and the fixed document.</summary>
    public async Task<(CodeAction Action, Document Fixed)> ApplyAsync(CodeFixProvider provider, Diagnostic diagnostic)
    {
        CodeAction action = Assert.Single(await ActionsAsync(provider, diagnostic).ConfigureAwait(false));
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
        Solution changed = Assert.IsType<ApplyChangesOperation>(Assert.Single(operations)).ChangedSolution;
        return (action, changed.GetDocument(Document.Id)!);
    }

    /// <summary>
    /// Applies the fix for the <paramref name="index"/>-th <paramref name="id"/> and runs the generator again
    /// over the fixed document.
    /// </summary>
    public static async Task<FixResult> FixAsync(CodeFixProvider provider, string source, string id, int index = 0)
    {
        CodeFixHarness harness = await CreateAsync(source).ConfigureAwait(false);
        (CodeAction action, Document fixedDocument) = await harness.ApplyAsync(provider, harness.Single(id, index)).ConfigureAwait(false);
        string text = (await fixedDocument.GetTextAsync().ConfigureAwait(false)).ToString();
        ImmutableArray<Diagnostic> after = await GeneratorDiagnosticsAsync(fixedDocument).ConfigureAwait(false);
        return new FixResult(action.Title, action.EquivalenceKey, text, after);
    }
}

/// <summary>One applied fix: what it was called, its equivalence key, the fixed source and what the generator says now.</summary>
internal sealed record FixResult(string Title, string? EquivalenceKey, string Text, ImmutableArray<Diagnostic> DiagnosticsAfter)
{
    public IEnumerable<string> IdsAfter => DiagnosticsAfter.Select(d => d.Id);
}
