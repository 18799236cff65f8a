using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;
using StructGen.Language.Shapes;
using StructGen.Language.Syntax;

namespace StructGen.Language.Binding;

/// <summary>
/// The DSL's entry points: an expression for given widths, the <c>[StructuredLinear("…")]</c> attribute,
/// and a whole <c>.sgl</c> file. Each parses, binds to IR and returns every diagnostic with its exact
/// span; none of them throws (an unexpected failure becomes SG0021).
/// </summary>
public static class DslBinder
{
    private const string StructuredLinear = "StructuredLinear";
    private const string ExpressionArgument = "expression";
    private const string AttributeExample = "[StructuredLinear(\"dense + lowrank(r: 8)\", In = 768, Out = 768)]";

    /// <summary>Binds an expression such as <c>dense + lowrank(r: 8)</c> as a layer <paramref name="inFeatures"/> → <paramref name="outFeatures"/>.</summary>
    /// <param name="expression">The DSL expression.</param>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <param name="origin">Where the expression's first character lies in its file (see <see cref="DslText"/>).</param>
    public static BoundLayer BindExpression(string expression, int inFeatures, int outFeatures, SourceSpan origin = default)
    {
        var diagnostics = new List<LanguageDiagnostic>();
        try
        {
            DslParseResult<DslExpression> parse = DslParser.ParseExpression(expression ?? string.Empty, origin);
            diagnostics.AddRange(parse.Diagnostics);
            SourceSpan whole = parse.Text.Span(0, parse.Text.Length);
            var rules = new ShapeRules(diagnostics);
            bool inOk = rules.Positive("In", inFeatures, whole);
            bool outOk = rules.Positive("Out", outFeatures, whole);
            LayerSpec? spec = inOk && outOk ? BindLayerExpression(parse, inFeatures, outFeatures, whole, whole, diagnostics) : null;
            return Result(spec, bias: true, seed: 0, diagnostics);
        }
        catch (Exception ex)
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.InternalError, origin, ex.GetType().Name + ": " + ex.Message));
            return Result(null, bias: true, seed: 0, diagnostics);
        }
    }

    /// <summary>
    /// Binds <c>[StructuredLinear("expression", In = …, Out = …, Bias = …, Seed = …)]</c> read into a
    /// <see cref="StructureDeclaration"/> (structure <c>StructuredLinear</c>; the string as the argument
    /// <c>expression</c>). The expression's diagnostics land inside the string literal: at
    /// <paramref name="expressionOrigin"/>, or, when it is not given, one character after the start of the
    /// <c>expression</c> argument's span (right for a regular <c>"…"</c> literal without escapes; pass the
    /// origin for verbatim or raw strings).
    /// </summary>
    public static BoundLayer BindStructuredLinear(StructureDeclaration declaration, SourceSpan? expressionOrigin = null)
    {
        var diagnostics = new List<LanguageDiagnostic>();
        bool bias = true;
        int seed = 0;
        try
        {
            var allowed = new[] { ExpressionArgument }.Concat(StructureNames.Common).ToArray();
            bool argumentsOk = true;
            foreach (ArgumentValue argument in declaration.Arguments)
            {
                if (Array.IndexOf(allowed, argument.Name) < 0)
                {
                    diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.UnknownArgument, argument.Span, StructuredLinear, argument.Name, Suggestions.DidYouMean(argument.Name, allowed)));
                    argumentsOk = false;
                    continue;
                }
                (ArgumentKind expected, string expectedText) = argument.Name switch
                {
                    ExpressionArgument => (ArgumentKind.String, "a string constant"),
                    "Bias" => (ArgumentKind.Boolean, "true or false"),
                    _ => (ArgumentKind.Integer, "an integer constant"),
                };
                if (argument.Kind != expected)
                {
                    diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.WrongArgumentType, argument.Span, argument.Name, expectedText, argument.Text));
                    argumentsOk = false;
                }
            }
            bias = declaration.Find("Bias") is { Kind: ArgumentKind.Boolean } b ? b.Boolean : true;
            seed = declaration.Find("Seed") is { Kind: ArgumentKind.Integer } s ? unchecked((int)s.Integer) : 0;

            var rules = new ShapeRules(diagnostics);
            ArgumentValue? inArgument = declaration.Find("In"), outArgument = declaration.Find("Out");
            bool inOk = rules.Size("In", inArgument is { Kind: ArgumentKind.Integer } ? inArgument.Integer : null, declaration.SpanOf("In"), declaration.Span, AttributeExample);
            bool outOk = rules.Size("Out", outArgument is { Kind: ArgumentKind.Integer } ? outArgument.Integer : null, declaration.SpanOf("Out"), declaration.Span, AttributeExample);

            ArgumentValue? expression = declaration.Find(ExpressionArgument);
            if (expression is null)
            {
                diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.MissingSize, declaration.Span, "the DSL expression", AttributeExample));
                return Result(null, bias, seed, diagnostics);
            }
            if (expression.Kind != ArgumentKind.String)
            {
                return Result(null, bias, seed, diagnostics);
            }
            SourceSpan origin = expressionOrigin ?? AfterOpeningQuote(expression.Span);
            DslParseResult<DslExpression> parse = DslParser.ParseExpression(expression.Text, origin);
            diagnostics.AddRange(parse.Diagnostics);
            LayerSpec? spec = inOk && outOk && argumentsOk
                ? BindLayerExpression(parse, (int)inArgument!.Integer, (int)outArgument!.Integer, inArgument.Span, outArgument.Span, diagnostics)
                : null;
            return Result(spec, bias, seed, diagnostics);
        }
        catch (Exception ex)
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.InternalError, declaration.Span, ex.GetType().Name + ": " + ex.Message));
            return Result(null, bias, seed, diagnostics);
        }
    }

    /// <summary>Binds a <c>.sgl</c> file: its namespace, layers and models.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="origin">Where the text starts (<c>default</c> for a whole file).</param>
    public static BoundFile BindFile(string text, SourceSpan origin = default)
    {
        try
        {
            return new FileBinder(DslParser.ParseFile(text ?? string.Empty, origin)).Bind();
        }
        catch (Exception ex)
        {
            var failure = LanguageDiagnostic.Create(DiagnosticCatalog.InternalError, origin, ex.GetType().Name + ": " + ex.Message);
            return new BoundFile(null, EquatableArray<BoundDeclaration>.Empty, EquatableArray.Create(failure));
        }
    }

    private static LayerSpec? BindLayerExpression(DslParseResult<DslExpression> parse, int inFeatures, int outFeatures, SourceSpan inSpan, SourceSpan outSpan, List<LanguageDiagnostic> diagnostics)
    {
        var flow = new Flow(inFeatures, outFeatures, inSpan, outSpan, $"the layer's output ({outFeatures})", OutIsWidthToken: false, InSum: false);
        return new ExpressionBinder(diagnostics, scope: null, owner: "the layer").BindLayer(parse.Root, flow, parse.Root.Span);
    }

    private static BoundLayer Result(LayerSpec? spec, bool bias, int seed, List<LanguageDiagnostic> diagnostics)
    {
        bool failed = diagnostics.Any(d => d.Descriptor.Severity == DiagnosticSeverityLevel.Error);
        return new BoundLayer(failed ? null : spec, bias, seed, diagnostics.OrderBy(d => d.Span.Start).ToEquatableArray());
    }

    private static SourceSpan AfterOpeningQuote(SourceSpan literal)
        => new(literal.Start + 1, 0, literal.StartLine, literal.StartColumn + 1, literal.StartLine, literal.StartColumn + 1);
}
