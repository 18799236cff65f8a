using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StructGen.Generators.Model;
using StructGen.Language.Binding;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;

namespace StructGen.Generators;

public sealed partial class StructuredLayerGenerator
{
    /// <summary>
    /// Extracts one structure attribute into plain values and binds it. Everything the emitter needs is
    /// copied out here; nothing of the compilation leaves this method.
    /// </summary>
    internal static class Parser
    {
        private const string StructuredLinear = "StructuredLinear";

        /// <summary>Positional constructor parameters of each attribute, for when overload resolution failed.</summary>
        private static readonly Dictionary<string, string[]> s_positional = new()
        {
            ["Monarch"] = new[] { "blocks" },
            ["BlockDiagonal"] = new[] { "blocks" },
            ["LowRank"] = new[] { "r" },
            ["BLAST"] = new[] { "blocks", "r" },
            ["StructuredLinear"] = new[] { "expression" },
        };

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, string structure, CancellationToken cancellationToken)
        {
            string filePath = context.TargetNode.SyntaxTree.FilePath;
            try
            {
                return ParseCore(context, structure, filePath, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception ex)
            {
                // Never throw into the compiler: report what failed on the declaration instead.
                SourceSpan span = SpanOf(context.TargetNode is TypeDeclarationSyntax t ? t.Identifier : context.TargetNode.GetFirstToken());
                var info = new DiagnosticInfo(DiagnosticCatalog.InternalError, filePath, span, EquatableArray.Create(ex.GetType().Name + ": " + ex.Message));
                return new ParseResult(null, EquatableArray.Create(info));
            }
        }

        private static ParseResult ParseCore(GeneratorAttributeSyntaxContext context, string structure, string filePath, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var declaration = (TypeDeclarationSyntax)context.TargetNode;
            AttributeData attribute = context.Attributes[0];
            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            SourceSpan identifierSpan = SpanOf(declaration.Identifier);

            // One structure per type: the first structure attribute speaks for the type, the others stay silent.
            List<AttributeData> structures = type.GetAttributes().Where(IsStructureAttribute).ToList();
            if (structures.Count > 1)
            {
                if (!SymbolEqualityComparer.Default.Equals(structures[0].AttributeClass, attribute.AttributeClass))
                {
                    return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
                }
                diagnostics.Add(Diagnostic(DiagnosticCatalog.MultipleStructures, filePath, identifierSpan, type.Name));
            }

            CheckTypeShape(type, declaration, filePath, identifierSpan, diagnostics);

            StructureDeclaration structureDeclaration = ReadArguments(structure, attribute, attributeSyntax, context.SemanticModel, declaration, cancellationToken);
            BoundLayer bound;
            if (structure == StructuredLinear)
            {
                // The DSL inline: bind the string at its place in the file, so its diagnostics sit on the
                // exact token inside the quotes.
                DslLiteral? literal = ExpressionArgument(attribute, attributeSyntax) is { } expression ? DslLiteral.For(expression) : null;
                bound = DslBinder.BindStructuredLinear(structureDeclaration, literal?.Origin);
                diagnostics.AddRange(bound.Diagnostics.Select(d => DiagnosticInfo.From(literal is null ? d : literal.Map(d), filePath)));
            }
            else
            {
                bound = StructureBinder.Bind(structureDeclaration);
                diagnostics.AddRange(bound.Diagnostics.Select(d => DiagnosticInfo.From(d, filePath)));
            }

            // A class named like a member of its generated part (In, Gemm, …) or like a type the generated
            // code names unqualified (Math, Unsafe, …) would not compile: say so on the identifier.
            if (bound.Spec is not null && Emit.GeneratedNames.WhyReserved(type.Name, bound.Spec, null) is { } why)
            {
                diagnostics.Add(Diagnostic(DiagnosticCatalog.ReservedName, filePath, identifierSpan, type.Name, why));
            }

            bool rejected = diagnostics.Any(d => d.Descriptor.Severity == DiagnosticSeverityLevel.Error);
            HierarchyInfo hierarchy = Hierarchy(type, declaration);
            LayerModel? model = rejected || bound.Spec is null
                ? null
                : new LayerModel(hierarchy, bound.Spec, bound.Bias, bound.Seed, attributeSyntax?.ToString() ?? structure);
            return new ParseResult(model, diagnostics.ToEquatableArray(), new ClaimedName(hierarchy.FullName, hierarchy.HintName));
        }

        /// <summary>The syntax of the <c>expression</c> argument of <c>[StructuredLinear]</c>: the first positional argument or <c>expression:</c>.</summary>
        private static ExpressionSyntax? ExpressionArgument(AttributeData attribute, AttributeSyntax? syntax)
        {
            if (syntax?.ArgumentList is null)
            {
                return null;
            }
            string[] positional = attribute.AttributeConstructor is { } ctor
                ? ctor.Parameters.Select(p => p.Name).ToArray()
                : s_positional[StructuredLinear];
            int position = 0;
            foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
            {
                if (argument.NameEquals is not null)
                {
                    continue;
                }
                string name = argument.NameColon is { } nameColon
                    ? nameColon.Name.Identifier.ValueText
                    : position < positional.Length ? positional[position++] : "";
                if (name == "expression")
                {
                    return argument.Expression;
                }
            }
            return null;
        }

        private static bool IsStructureAttribute(AttributeData a)
            => a.AttributeClass is { } c
               && c.ContainingNamespace?.ToDisplayString() == "StructGen"
               && c.BaseType?.Name == "StructuredLayerAttribute";

        private static void CheckTypeShape(INamedTypeSymbol type, TypeDeclarationSyntax declaration, string filePath, SourceSpan span, List<DiagnosticInfo> diagnostics)
        {
            string? wrongKind = declaration switch
            {
                RecordDeclarationSyntax => "a record",
                StructDeclarationSyntax => "a struct",
                InterfaceDeclarationSyntax => "an interface",
                _ when type.IsStatic => "a static class",
                _ when type.IsAbstract => "an abstract class",
                _ => null,
            };
            if (wrongKind is not null)
            {
                diagnostics.Add(Diagnostic(DiagnosticCatalog.NotAClass, filePath, span, type.Name, wrongKind));
            }
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(Diagnostic(DiagnosticCatalog.TypeNotPartial, filePath, span, type.Name));
            }
            // Only the type's own type parameters: IsGenericType is also true inside a generic containing type,
            // and a layer nested in a partial Outer<T> is fine (the hierarchy re-opens Outer<T>).
            if (type.TypeParameters.Length > 0)
            {
                diagnostics.Add(Diagnostic(DiagnosticCatalog.GenericType, filePath, span, type.Name));
            }
            for (SyntaxNode? parent = declaration.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is TypeDeclarationSyntax containing && !containing.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(Diagnostic(DiagnosticCatalog.ContainingTypeNotPartial, filePath, span, type.Name, containing.Identifier.ValueText));
                }
            }
        }

        /// <summary>Reads each argument from syntax, with its constant value from the semantic model and its exact span.</summary>
        private static StructureDeclaration ReadArguments(string structure, AttributeData attribute, AttributeSyntax? syntax, SemanticModel semanticModel, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            var arguments = new List<ArgumentValue>();
            SourceSpan attributeSpan = syntax is null ? SpanOf(declaration.Identifier) : SpanOf(syntax);
            if (syntax?.ArgumentList is null)
            {
                return new StructureDeclaration(structure, arguments.ToEquatableArray(), attributeSpan);
            }

            string[] positional = attribute.AttributeConstructor is { } ctor
                ? ctor.Parameters.Select(p => p.Name).ToArray()
                : (s_positional.TryGetValue(structure, out string[]? names) ? names : Array.Empty<string>());
            int position = 0;
            foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
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
                    name = position < positional.Length ? positional[position] : $"#{position + 1}";
                    position++;
                }
                arguments.Add(ReadValue(name, argument.Expression, semanticModel, cancellationToken));
            }
            return new StructureDeclaration(structure, arguments.ToEquatableArray(), attributeSpan);
        }

        private static ArgumentValue ReadValue(string name, ExpressionSyntax expression, SemanticModel semanticModel, CancellationToken cancellationToken)
        {
            SourceSpan span = SpanOf(expression.Parent ?? expression);
            Optional<object?> constant = semanticModel.GetConstantValue(expression, cancellationToken);
            return constant.HasValue ? constant.Value switch
            {
                int i => ArgumentValue.FromInteger(name, i, span),
                long l => ArgumentValue.FromInteger(name, l, span),
                short s => ArgumentValue.FromInteger(name, s, span),
                byte b => ArgumentValue.FromInteger(name, b, span),
                bool flag => ArgumentValue.FromBoolean(name, flag, span),
                string text => ArgumentValue.FromString(name, text, span),
                _ => new ArgumentValue(name, ArgumentKind.Other, 0, expression.ToString(), span),
            }
            : new ArgumentValue(name, ArgumentKind.Other, 0, expression.ToString(), span);
        }

        private static HierarchyInfo Hierarchy(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
        {
            var containing = new List<TypeDeclarationInfo>();
            for (SyntaxNode? parent = declaration.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is TypeDeclarationSyntax t)
                {
                    string keyword = t switch
                    {
                        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                        StructDeclarationSyntax => "struct",
                        InterfaceDeclarationSyntax => "interface",
                        _ => "class",
                    };
                    containing.Insert(0, new TypeDeclarationInfo(keyword, t.Identifier.ValueText + (t.TypeParameterList?.ToString() ?? "")));
                }
            }
            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
            return new HierarchyInfo(ns, containing.ToEquatableArray(), type.Name);
        }

        private static DiagnosticInfo Diagnostic(DiagnosticDescriptorInfo descriptor, string filePath, SourceSpan span, params string[] args)
            => new(descriptor, filePath, span, args.ToEquatableArray());

        internal static SourceSpan SpanOf(SyntaxNode node) => SpanOf(node.GetLocation());

        internal static SourceSpan SpanOf(SyntaxToken token) => SpanOf(token.GetLocation());

        internal static SourceSpan SpanOf(Location location)
        {
            FileLinePositionSpan line = location.GetLineSpan();
            return new SourceSpan(location.SourceSpan.Start, location.SourceSpan.Length,
                line.StartLinePosition.Line, line.StartLinePosition.Character, line.EndLinePosition.Line, line.EndLinePosition.Character);
        }
    }
}
