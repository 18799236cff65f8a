using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;
using StructGen.Language.Shapes;
using StructGen.Language.Syntax;

namespace StructGen.Language.Binding;

/// <summary>
/// Binds one DSL expression to IR for the widths that flow into it. Each primitive becomes a
/// <see cref="StructureDeclaration"/> with <c>In</c>/<c>Out</c> from the flow and the spans of its DSL
/// tokens, and goes through <see cref="StructureBinder"/>: every shape rule lives there once. What is
/// particular to the DSL is checked here: names, argument spelling, sums, chains, layer references.
/// Missing syntax (already reported by the parser) binds to nothing, silently.
/// </summary>
internal sealed class ExpressionBinder
{
    private readonly List<LanguageDiagnostic> _diagnostics;
    private readonly ILayerScope? _scope;
    private readonly string _owner;
    private bool _usedLayer;

    /// <param name="diagnostics">Where this declaration's diagnostics go.</param>
    /// <param name="scope">The file's layers, or null for an attribute's expression.</param>
    /// <param name="owner">The declaration being bound (for messages).</param>
    public ExpressionBinder(List<LanguageDiagnostic> diagnostics, ILayerScope? scope, string owner)
    {
        _diagnostics = diagnostics;
        _scope = scope;
        _owner = owner;
    }

    /// <summary>
    /// Binds a whole layer: the expression, then the checks that concern the layer as a whole (indexable
    /// sizes, and for a composite of structures, whether it saves anything over dense).
    /// </summary>
    public LayerSpec? BindLayer(DslExpression expression, Flow flow, SourceSpan span)
    {
        int before = _diagnostics.Count;
        LayerSpec? spec = Bind(expression, flow);
        if (spec is not (SumSpec or ChainSpec or AdapterSpec))
        {
            return spec;
        }
        var rules = new ShapeRules(_diagnostics);
        if (!rules.Indexable(spec, bias: true, span))
        {
            return null;
        }
        bool warned = _diagnostics.Skip(before).Any(d => d.Descriptor == DiagnosticCatalog.NoSaving);
        if (!warned && !_usedLayer && !ContainsDense(spec))
        {
            rules.Saving(spec, span);
        }
        return spec;
    }

    /// <summary>A width written in the DSL: positive and at most <c>int.MaxValue</c>; null (reported) otherwise, or when missing.</summary>
    public static int? Width(DslNumber number, string name, List<LanguageDiagnostic> diagnostics)
    {
        if (number.IsMissing)
        {
            return null;
        }
        if (number.Overflowed)
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.SizeOverflow, number.Span, name, number.Text));
            return null;
        }
        return new ShapeRules(diagnostics).Positive(name, number.Value, number.Span) ? (int)number.Value : null;
    }

    private LayerSpec? Bind(DslExpression expression, Flow flow) => expression switch
    {
        DslParenthesizedExpression parenthesized => Bind(parenthesized.Inner, flow),
        DslSumExpression sum => BindSum(sum, flow),
        DslChainExpression chain => BindChain(chain, flow),
        DslCallExpression call => BindCall(call, flow, alpha: null),
        _ => null,
    };

    private LayerSpec? BindSum(DslSumExpression sum, Flow flow)
    {
        if (sum.Terms.Count == 2 && AdapterParts(sum) is var (_, lowRank))
        {
            return BindAdapter(sum, lowRank, flow);
        }
        var terms = new List<LayerSpec>();
        bool ok = true;
        foreach (DslExpression term in sum.Terms)
        {
            LayerSpec? spec = Bind(term, flow with { InSum = true });
            if (spec is SumSpec nested)
            {
                terms.AddRange(nested.Terms);
            }
            else if (spec is not null)
            {
                terms.Add(spec);
            }
            else
            {
                ok = false;
            }
        }
        if (!ok)
        {
            return null;
        }
        // Exactly a dense and a low-rank operand (one of them reached through a layer name, say) is the
        // adapter whatever way it was written, so that the spec reads the same as its description.
        if (terms.Count == 2 && terms.OfType<DenseSpec>().Count() == 1 && terms.OfType<LowRankSpec>().SingleOrDefault() is { } update)
        {
            return new AdapterSpec(flow.In, flow.Out, update.Rank, update.Rank);
        }
        return new SumSpec(flow.In, flow.Out, terms.ToEquatableArray());
    }

    /// <summary><c>dense + lowrank(…)</c> in either order (parentheses around either allowed).</summary>
    private static (DslCallExpression Dense, DslCallExpression LowRank)? AdapterParts(DslSumExpression sum)
    {
        if (Unparenthesized(sum.Terms[0]) is DslCallExpression a && Unparenthesized(sum.Terms[1]) is DslCallExpression b)
        {
            if (a.Name.Text == "dense" && b.Name.Text == "lowrank" && b.HasArgumentList)
            {
                return (a, b);
            }
            if (b.Name.Text == "dense" && a.Name.Text == "lowrank" && a.HasArgumentList)
            {
                return (b, a);
            }
        }
        return null;
    }

    private LayerSpec? BindAdapter(DslSumExpression sum, DslCallExpression lowRankCall, Flow flow)
    {
        DslCallExpression denseCall = (DslCallExpression)Unparenthesized(Unparenthesized(sum.Terms[0]) == lowRankCall ? sum.Terms[1] : sum.Terms[0]);
        LayerSpec? dense = BindCall(denseCall, flow with { InSum = true }, alpha: null);
        var alpha = new AlphaArgument();
        LayerSpec? lowRank = BindCall(lowRankCall, flow with { InSum = true }, alpha);
        if (dense is null || lowRank is not LowRankSpec update)
        {
            return null;
        }
        int alphaValue = update.Rank;
        if (alpha.Value is { } written)
        {
            if (written.Kind != ArgumentKind.Integer)
            {
                Report(DiagnosticCatalog.WrongArgumentType, written.Span, DslArguments.Alpha, "an integer constant", written.Text);
                return null;
            }
            if (!new ShapeRules(_diagnostics).Positive(DslArguments.Alpha, written.Integer, written.Span))
            {
                return null;
            }
            alphaValue = (int)written.Integer;
        }
        return new AdapterSpec(flow.In, flow.Out, update.Rank, alphaValue);
    }

    private static DslExpression Unparenthesized(DslExpression expression)
    {
        while (expression is DslParenthesizedExpression parenthesized)
        {
            expression = parenthesized.Inner;
        }
        return expression;
    }

    private LayerSpec? BindChain(DslChainExpression chain, Flow flow)
    {
        var widths = new int?[chain.Widths.Count];
        bool ok = true;
        for (int i = 0; i < widths.Length; i++)
        {
            widths[i] = Width(chain.Widths[i], "width", _diagnostics);
            ok &= widths[i] is not null;
        }
        var factors = new List<LayerSpec>();
        int last = chain.Terms.Count - 1;
        for (int i = 0; i <= last; i++)
        {
            int? inWidth = i == 0 ? flow.In : widths[i - 1];
            int? outWidth = i == last ? flow.Out : widths[i];
            if (inWidth is null || outWidth is null)
            {
                ok = false;
                continue;
            }
            var factorFlow = new Flow(
                inWidth.Value,
                outWidth.Value,
                i == 0 ? flow.InSpan : chain.Widths[i - 1].Span,
                i == last ? flow.OutSpan : chain.Widths[i].Span,
                i == last ? flow.OutWhere : "'-> " + chain.Widths[i].Text + "'",
                i == last ? flow.OutIsWidthToken : true,
                InSum: false);
            LayerSpec? factor = Bind(chain.Terms[i], factorFlow);
            if (factor is ChainSpec nested)
            {
                factors.AddRange(nested.Factors);
            }
            else if (factor is not null)
            {
                factors.Add(factor);
            }
            else
            {
                ok = false;
            }
        }
        return ok ? new ChainSpec(flow.In, flow.Out, factors.ToEquatableArray()) : null;
    }

    private LayerSpec? BindCall(DslCallExpression call, Flow flow, AlphaArgument? alpha)
    {
        DslToken nameToken = call.Name;
        string name = nameToken.Text;
        if (nameToken.IsMissing)
        {
            return null;
        }
        if (ReservedNames.IsDslStructureName(name) && StructureNames.TryParse(name, out StructureKind kind))
        {
            return BindStructure(call, kind, flow, alpha);
        }
        if (_scope is not null && _scope.TryResolve(nameToken, _owner, _diagnostics, out LayerSpec? referenced))
        {
            _usedLayer = true;
            if (call.Arguments.Count > 0)
            {
                DslArgument first = call.Arguments[0];
                Report(DiagnosticCatalog.UnknownArgument, first.Span, name, ArgumentText(first), "; a layer of the file takes no arguments");
                return null;
            }
            return referenced is null ? null : CheckShape(referenced, nameToken, flow);
        }
        if (ActivationNames.TryParse(name, out _))
        {
            Report(DiagnosticCatalog.UnknownStructure, nameToken.Span, name,
                $"; '{name}' is an activation, which is not linear: write it as a model step of its own ('{name};')");
            return null;
        }
        IEnumerable<string> candidates = StructureNames.DslNames;
        if (_scope is not null && !call.HasArgumentList)
        {
            candidates = candidates.Concat(_scope.LayerNames);
        }
        Report(DiagnosticCatalog.UnknownStructure, nameToken.Span, name, Suggestions.DidYouMean(name, candidates));
        return null;
    }

    /// <summary>A layer of the file used in an expression must have the shape the flow gives it.</summary>
    private LayerSpec? CheckShape(LayerSpec referenced, DslToken name, Flow flow)
    {
        if (referenced.In == flow.In && referenced.Out == flow.Out)
        {
            return referenced;
        }
        if (flow.InSum)
        {
            Report(DiagnosticCatalog.SumShapeMismatch, name.Span, flow.ShapeText + " (the sum)", $"{referenced.In} -> {referenced.Out} ('{name.Text}')");
        }
        else if (referenced.In != flow.In)
        {
            Report(DiagnosticCatalog.WidthMismatch, name.Span, $"'{name.Text}'", flow.In, referenced.In);
        }
        else
        {
            Report(DiagnosticCatalog.WidthMismatch, flow.OutIsWidthToken ? flow.OutSpan : name.Span, flow.OutWhere, referenced.Out, flow.Out);
        }
        return null;
    }

    private LayerSpec? BindStructure(DslCallExpression call, StructureKind kind, Flow flow, AlphaArgument? alpha)
    {
        string structure = call.Name.Text;
        var arguments = new List<ArgumentValue>
        {
            ArgumentValue.FromInteger("In", flow.In, flow.InSpan),
            ArgumentValue.FromInteger("Out", flow.Out, flow.OutSpan),
        };
        var seen = new HashSet<string>();
        bool ok = true;
        int factors = 0;
        foreach (DslArgument argument in call.Arguments)
        {
            if (argument.Value is null || (argument.Colon?.IsMissing ?? false))
            {
                ok = false; // reported by the parser
                continue;
            }
            if (argument.Name is { } nameToken)
            {
                string name = nameToken.Text;
                if (!seen.Add(name))
                {
                    Report(DiagnosticCatalog.DuplicateArgument, nameToken.Span, name);
                    ok = false;
                    continue;
                }
                if (name == DslArguments.Alpha && kind == StructureKind.LowRank && alpha is not null)
                {
                    alpha.Value = Value(name, argument.Value);
                    ok &= alpha.Value is not null;
                    continue;
                }
                if (!DslArguments.TryMap(kind, name, out string binderName))
                {
                    Report(DiagnosticCatalog.UnknownArgument, nameToken.Span, structure, name, UnknownArgumentHint(kind, name));
                    ok = false;
                    continue;
                }
                ArgumentValue? value = Value(binderName, argument.Value);
                if (value is null)
                {
                    ok = false;
                    continue;
                }
                arguments.Add(value);
                continue;
            }

            if (kind != StructureKind.Kronecker || ++factors > 2)
            {
                string hint = kind == StructureKind.Kronecker
                    ? "; it takes two factor shapes Out1xIn1, Out2xIn2, e.g. kronecker(32x32, 32x32)"
                    : PositionalHint(kind, structure, argument.Value.WrittenText);
                Report(DiagnosticCatalog.UnknownArgument, argument.Span, structure, ArgumentText(argument), hint);
                ok = false;
                continue;
            }
            if (argument.Value is not DslShapeValue shape)
            {
                Report(DiagnosticCatalog.WrongArgumentType, argument.Span, $"factor {factors}", "a shape Out×In such as 32x32", ArgumentText(argument));
                ok = false;
                continue;
            }
            ArgumentValue? rows = Value("Out" + factors, shape.Rows);
            ArgumentValue? columns = Value("In" + factors, shape.Columns);
            if (rows is null || columns is null)
            {
                ok = false;
                continue;
            }
            arguments.Add(rows);
            arguments.Add(columns);
        }
        if (!ok)
        {
            return null;
        }
        BoundLayer bound = StructureBinder.Bind(new StructureDeclaration(structure, arguments.ToEquatableArray(), call.Span));
        _diagnostics.AddRange(bound.Diagnostics);
        return bound.Spec;
    }

    /// <summary>A DSL value as the attribute binder sees values; null (reported, or missing) when unusable.</summary>
    private ArgumentValue? Value(string name, DslValue value)
    {
        switch (value)
        {
            case DslNumber number:
                if (number.IsMissing)
                {
                    return null;
                }
                if (number.Overflowed)
                {
                    Report(DiagnosticCatalog.SizeOverflow, number.Span, name, number.Text);
                    return null;
                }
                return ArgumentValue.FromInteger(name, number.Value, number.Span);
            case DslWordValue { Word.Text: "true" or "false" } word:
                return ArgumentValue.FromBoolean(name, word.Word.Text == "true", word.Span);
            case DslShapeValue shape when shape.Rows.IsMissing || shape.Columns.IsMissing:
                return null;
            default:
                return new ArgumentValue(name, ArgumentKind.Other, 0, value.WrittenText, value.Span);
        }
    }

    private static string UnknownArgumentHint(StructureKind kind, string name)
    {
        if (name == DslArguments.Alpha && kind == StructureKind.LowRank)
        {
            return "; 'alpha' belongs to the adapter sum 'dense + lowrank(r: 8, alpha: 16)'";
        }
        return kind switch
        {
            StructureKind.Dense => "; dense takes no arguments",
            StructureKind.Kronecker => "; kronecker takes its factor shapes, e.g. kronecker(32x32, 32x32)",
            _ => Suggestions.DidYouMean(name, DslArguments.NamesOf(kind)),
        };
    }

    private static string PositionalHint(StructureKind kind, string structure, string value)
    {
        string? first = DslArguments.NamesOf(kind).FirstOrDefault();
        return first is null
            ? $"; {structure} takes no arguments"
            : $"; arguments are named, e.g. {structure}({first}: {value})";
    }

    private static string ArgumentText(DslArgument argument)
        => argument.Name?.Text ?? argument.Value?.WrittenText ?? string.Empty;

    private static bool ContainsDense(LayerSpec spec) => spec switch
    {
        DenseSpec or AdapterSpec => true,
        SumSpec sum => sum.Terms.Any(ContainsDense),
        ChainSpec chain => chain.Factors.Any(ContainsDense),
        _ => false,
    };

    private void Report(DiagnosticDescriptorInfo descriptor, SourceSpan span, params object[] arguments)
        => _diagnostics.Add(LanguageDiagnostic.Create(descriptor, span, arguments));

    /// <summary>Where the adapter's <c>alpha</c> is handed back from the <c>lowrank</c> call that carries it.</summary>
    private sealed class AlphaArgument
    {
        public ArgumentValue? Value { get; set; }
    }
}
