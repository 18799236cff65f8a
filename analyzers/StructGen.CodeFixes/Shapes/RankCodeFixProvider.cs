using System;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace StructGen.CodeFixes.Shapes;

/// <summary>
/// SG0008 (rank out of range) on <c>[LowRank]</c> or <c>[BLAST]</c>: a rank larger than <c>min(In, Out)</c>
/// becomes <c>min(In, Out)</c>, a rank of zero or less becomes 1.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RankCodeFixProvider)), Shared]
public sealed class RankCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the fix (one fix-all brings every rank into range).</summary>
    public const string EquivalenceKey = "StructGen.RankInRange";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("SG0008");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await ArgumentEdits.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not var (attribute, argument)
                || attribute.Structure is not ("LowRank" or "BLAST")
                || argument is not { Name: "r", Value: { } rank }
                || attribute.In is not { } inFeatures
                || attribute.Out is not { } outFeatures)
            {
                continue;
            }
            int limit = Math.Min(inFeatures, outFeatures);
            if (rank > 0 && rank <= limit)
            {
                continue;
            }
            int replacement = rank <= 0 ? 1 : limit;
            string title = rank <= 0 ? "Use r = 1 (the smallest rank)" : $"Use r = {limit} (min(In, Out))";
            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ArgumentEdits.ReplaceValueAsync(document, argument.Syntax, replacement, ct), EquivalenceKey),
                diagnostic);
        }
    }
}
