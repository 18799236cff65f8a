using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace StructGen.CodeFixes.Declarations;

/// <summary>
/// SG0013 adds <c>partial</c> to the declared layer type; SG0014 adds it to the containing type the
/// diagnostic names. The generator reports both on the layer type's identifier.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the SG0013 fix (one fix-all makes every layer type partial).</summary>
    public const string MakeTypePartialKey = "StructGen.MakeTypePartial";

    /// <summary>Equivalence key of the SG0014 fix.</summary>
    public const string MakeContainingTypePartialKey = "StructGen.MakeContainingTypePartial";

    private const string TypeNotPartial = "SG0013";
    private const string ContainingTypeNotPartial = "SG0014";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(TypeNotPartial, ContainingTypeNotPartial);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!DiagnosticLocations.TryGetSpan(diagnostic, root.SyntaxTree, out TextSpan span))
            {
                continue;
            }
            SyntaxToken identifier = root.FindToken(span.Start);
            if (identifier.Parent is not TypeDeclarationSyntax layerType)
            {
                continue;
            }

            if (diagnostic.Id == TypeNotPartial)
            {
                if (!IsPartial(layerType))
                {
                    Register(context, diagnostic, new[] { layerType }, MakeTypePartialKey);
                }
                continue;
            }

            List<TypeDeclarationSyntax> containing = layerType.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !IsPartial(t)).ToList();
            // The message names the containing type ("… nested in 'Outer' …"); fix that one, or all when it cannot be told.
            string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
            List<TypeDeclarationSyntax> named = containing.Where(t => message.Contains("'" + t.Identifier.ValueText + "'")).ToList();
            List<TypeDeclarationSyntax> targets = named.Count == 1 ? named : containing;
            if (targets.Count > 0)
            {
                Register(context, diagnostic, targets, MakeContainingTypePartialKey);
            }
        }
    }

    private static void Register(CodeFixContext context, Diagnostic diagnostic, IReadOnlyList<TypeDeclarationSyntax> targets, string key)
    {
        string title = $"Make {string.Join(", ", targets.Select(t => "'" + t.Identifier.ValueText + "'"))} partial";
        Document document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(title, ct => AddPartialAsync(document, targets, ct), key),
            diagnostic);
    }

    private static async Task<Document> AddPartialAsync(Document document, IReadOnlyList<TypeDeclarationSyntax> targets, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }
        SyntaxNode updated = root.ReplaceNodes(targets, static (original, rewritten) => WithPartial((TypeDeclarationSyntax)rewritten));
        return document.WithSyntaxRoot(updated);
    }

    /// <summary>
    /// Adds <c>partial</c> as the last modifier, right before the <c>class</c>/<c>struct</c>/<c>record</c>
    /// keyword, where the language requires it. With no modifiers it takes over the keyword's leading trivia.
    /// </summary>
    private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax declaration)
    {
        if (IsPartial(declaration))
        {
            return declaration;
        }
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.WithModifiers(declaration.Modifiers.Add(partial));
        }
        SyntaxToken keyword = declaration.Keyword;
        return declaration
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }

    private static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);
}
