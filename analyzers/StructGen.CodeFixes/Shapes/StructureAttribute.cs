using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StructGen.CodeFixes.Shapes;

/// <summary>One argument of a structure attribute as written: the name it binds to and its constant value.</summary>
internal sealed class WrittenArgument
{
    public WrittenArgument(string name, AttributeArgumentSyntax syntax, long? value)
    {
        Name = name;
        Syntax = syntax;
        Value = value;
    }

    /// <summary>Constructor parameter or property name (<c>blocks</c>, <c>r</c>, <c>In</c>, <c>RowBlocks</c>, …).</summary>
    public string Name { get; }

    public AttributeArgumentSyntax Syntax { get; }

    /// <summary>The integer constant, or null when the argument is not one.</summary>
    public long? Value { get; }
}

/// <summary>
/// A structure attribute (<c>[Monarch(…)]</c>, <c>[BLAST(…)]</c>, …) read back from the syntax a diagnostic
/// points into, with each argument named as the generator's parser names it (positional arguments by
/// the constructor's parameter names).
/// </summary>
internal sealed class StructureAttribute
{
    /// <summary>Constructor parameters by position, for when the constructor does not resolve.</summary>
    private static readonly Dictionary<string, string[]> s_positional = new()
    {
        ["Monarch"] = new[] { "blocks" },
        ["BlockDiagonal"] = new[] { "blocks" },
        ["LowRank"] = new[] { "r" },
        ["BLAST"] = new[] { "blocks", "r" },
    };

    private StructureAttribute(string structure, AttributeSyntax syntax, IReadOnlyList<WrittenArgument> arguments)
    {
        Structure = structure;
        Syntax = syntax;
        Arguments = arguments;
    }

    /// <summary>Attribute name without the suffix, as the generator spells structures: <c>Monarch</c>, <c>BLAST</c>, ….</summary>
    public string Structure { get; }

    public AttributeSyntax Syntax { get; }

    public IReadOnlyList<WrittenArgument> Arguments { get; }

    /// <summary><c>In</c>, when written as a positive integer constant.</summary>
    public int? In => Positive("In");

    /// <summary><c>Out</c>, when written as a positive integer constant.</summary>
    public int? Out => Positive("Out");

    public WrittenArgument? Find(string name)
    {
        foreach (WrittenArgument argument in Arguments)
        {
            if (argument.Name == name)
            {
                return argument;
            }
        }
        return null;
    }

    /// <summary>The argument written exactly at <paramref name="node"/>, or null when the node is the whole attribute.</summary>
    public WrittenArgument? At(SyntaxNode node)
    {
        foreach (WrittenArgument argument in Arguments)
        {
            if (argument.Syntax.Span.Contains(node.Span))
            {
                return argument;
            }
        }
        return null;
    }

    /// <summary>
    /// The structure attribute around <paramref name="node"/>, when it is one of StructGen's
    /// (its class derives from <c>StructGen.StructuredLayerAttribute</c>).
    /// </summary>
    public static StructureAttribute? Find(SyntaxNode node, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        AttributeSyntax? syntax = node as AttributeSyntax ?? node.FirstAncestorOrSelf<AttributeSyntax>();
        if (syntax is null)
        {
            return null;
        }
        SymbolInfo info = semanticModel.GetSymbolInfo(syntax, cancellationToken);
        var constructor = (info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null)) as IMethodSymbol;
        if (constructor?.ContainingType is not { } attributeClass || !IsStructureAttribute(attributeClass))
        {
            return null;
        }
        string structure = attributeClass.Name.EndsWith("Attribute", System.StringComparison.Ordinal)
            ? attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length)
            : attributeClass.Name;

        string[] positional = info.Symbol is IMethodSymbol resolved
            ? Names(resolved)
            : (s_positional.TryGetValue(structure, out string[]? names) ? names : System.Array.Empty<string>());
        var arguments = new List<WrittenArgument>();
        int position = 0;
        foreach (AttributeArgumentSyntax argument in syntax.ArgumentList?.Arguments ?? default)
        {
            string name;
            if (argument.NameEquals is { } nameEquals)
            {
                name = nameEquals.Name.Identifier.ValueText;
            }
            else if (argument.NameColon is { } nameColon)
            {
                name = nameColon.Name.Identifier.ValueText;
            }
            else
            {
                name = position < positional.Length ? positional[position] : "#" + (position + 1);
                position++;
            }
            Optional<object?> constant = semanticModel.GetConstantValue(argument.Expression, cancellationToken);
            long? value = constant.HasValue ? constant.Value switch
            {
                int i => i,
                long l => l,
                short s => s,
                byte b => b,
                _ => null,
            } : null;
            arguments.Add(new WrittenArgument(name, argument, value));
        }
        return new StructureAttribute(structure, syntax, arguments);
    }

    private int? Positive(string name)
        => Find(name)?.Value is { } value && value > 0 && value <= int.MaxValue ? (int)value : null;

    private static string[] Names(IMethodSymbol constructor)
    {
        var names = new string[constructor.Parameters.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = constructor.Parameters[i].Name;
        }
        return names;
    }

    private static bool IsStructureAttribute(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == "StructuredLayerAttribute" && current.ContainingNamespace?.ToDisplayString() == "StructGen")
            {
                return true;
            }
        }
        return false;
    }
}
