using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace StructGen.CodeFixes.Shapes;

/// <summary>The two edits the shape fixes make to a structure attribute: set an argument's value, or add one.</summary>
internal static class ArgumentEdits
{
    /// <summary>
    /// The structure attribute a diagnostic sits on (on one of its arguments, or on the whole attribute
    /// when the argument is not written), or null when it is elsewhere (a DSL string, a <c>.sgl</c> file).
    /// </summary>
    public static async Task<(StructureAttribute Attribute, WrittenArgument? Argument)?> FindAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || !DiagnosticLocations.TryGetSpan(diagnostic, root.SyntaxTree, out TextSpan span))
        {
            return null;
        }
        SyntaxNode node = root.FindNode(span);
        if (node is not (AttributeArgumentSyntax or AttributeSyntax))
        {
            // A span inside an argument is a DSL token in a string, which these fixes do not rewrite.
            return null;
        }
        SemanticModel? semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (semanticModel is null || StructureAttribute.Find(node, semanticModel, cancellationToken) is not { } attribute)
        {
            return null;
        }
        return (attribute, attribute.At(node));
    }

    /// <summary>Replaces the value of <paramref name="argument"/> with <paramref name="value"/>, keeping its name and trivia.</summary>
    public static async Task<Document> ReplaceValueAsync(Document document, AttributeArgumentSyntax argument, int value, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }
        ExpressionSyntax literal = Literal(value).WithTriviaFrom(argument.Expression);
        return document.WithSyntaxRoot(root.ReplaceNode(argument, argument.WithExpression(literal)));
    }

    /// <summary>Adds <c>name: value</c> as the first argument (constructor arguments come before property assignments).</summary>
    public static async Task<Document> InsertFirstAsync(Document document, AttributeSyntax attribute, string name, int value, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }
        AttributeArgumentSyntax added = SyntaxFactory.AttributeArgument(
            null,
            SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(name)).WithTrailingTrivia(SyntaxFactory.Space),
            Literal(value));
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments.Count == 0
            ? SyntaxFactory.SingletonSeparatedList(added)
            : SyntaxFactory.SeparatedList<AttributeArgumentSyntax>(
                new SyntaxNodeOrTokenList()
                    .Add(added)
                    .Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space))
                    .AddRange(list.Arguments.GetWithSeparators()));
        return document.WithSyntaxRoot(root.ReplaceNode(attribute, attribute.WithArgumentList(list.WithArguments(arguments))));
    }

    private static LiteralExpressionSyntax Literal(int value)
        => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression,
            SyntaxFactory.Literal(value.ToString(CultureInfo.InvariantCulture), value));
}
