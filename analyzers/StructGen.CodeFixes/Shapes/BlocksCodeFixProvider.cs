using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using StructGen.Language.Binding;
using StructGen.Language.Shapes;

namespace StructGen.CodeFixes.Shapes;

/// <summary>
/// SG0006 (blocks do not divide) and SG0007 (features padded): replaces <c>blocks</c> with the divisor
/// nearest to it. Monarch and block-diagonal split both sides, so the divisor is common to <c>In</c> and
/// <c>Out</c>; BLAST's <c>RowBlocks</c> splits <c>Out</c>, <c>ColumnBlocks</c> splits <c>In</c>, and <c>blocks</c>
/// every side not overridden. When BLAST's default blocks is what fails, the fix writes <c>blocks:</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlocksCodeFixProvider)), Shared]
public sealed class BlocksCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the fix (one fix-all picks the nearest divisor everywhere).</summary>
    public const string EquivalenceKey = "StructGen.NearestDivisorBlocks";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("SG0006", "SG0007");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await ArgumentEdits.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not var (attribute, argument)
                || attribute.In is not { } inFeatures
                || attribute.Out is not { } outFeatures)
            {
                continue;
            }

            string name;
            long current;
            var sides = new List<(string Side, int Features)>();
            switch (attribute.Structure)
            {
                case "Monarch":
                case "BlockDiagonal":
                    if (argument is not { Name: "blocks", Value: { } blocks })
                    {
                        continue;
                    }
                    name = "blocks";
                    current = blocks;
                    sides.Add(("In", inFeatures));
                    sides.Add(("Out", outFeatures));
                    break;

                case "BLAST":
                    name = argument?.Name ?? "blocks";
                    if (argument is not null && argument.Value is null)
                    {
                        continue;
                    }
                    current = argument?.Value ?? StructureBinder.DefaultBlastBlocks;
                    if (name is "blocks" or "ColumnBlocks" && (name == "ColumnBlocks" || attribute.Find("ColumnBlocks") is null))
                    {
                        sides.Add(("In", inFeatures));
                    }
                    if (name is "blocks" or "RowBlocks" && (name == "RowBlocks" || attribute.Find("RowBlocks") is null))
                    {
                        sides.Add(("Out", outFeatures));
                    }
                    break;

                default:
                    continue;
            }
            if (sides.Count == 0 || current <= 0)
            {
                continue;
            }

            IReadOnlyList<int> nearest = Divisors.Nearest(current, 1, sides.Select(s => s.Features).ToArray());
            if (nearest.Count == 0 || nearest[0] == current)
            {
                continue;
            }
            int divisor = nearest[0];
            string title = $"Use {name} = {divisor} (divides {string.Join(" and ", sides.Select(s => $"{s.Side} = {s.Features}"))})";
            Document document = context.Document;
            CodeAction action = argument is null
                ? CodeAction.Create(title, ct => ArgumentEdits.InsertFirstAsync(document, attribute.Syntax, name, divisor, ct), EquivalenceKey)
                : CodeAction.Create(title, ct => ArgumentEdits.ReplaceValueAsync(document, argument.Syntax, divisor, ct), EquivalenceKey);
            context.RegisterCodeFix(action, diagnostic);
        }
    }
}
