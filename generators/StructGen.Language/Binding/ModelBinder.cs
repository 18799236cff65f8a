using System.Collections.Generic;
using System.Linq;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;
using StructGen.Language.Syntax;

namespace StructGen.Language.Binding;

/// <summary>
/// Binds <c>model Name : In -&gt; Out { … }</c>: the width flows from <c>In</c> through each step (an inline
/// layer's input is the previous step's output; an activation keeps the width; a named layer must take
/// the width that reaches it) and must end at <c>Out</c>. A disagreement is reported on the step where
/// the widths part, with both widths.
/// </summary>
internal sealed class ModelBinder
{
    private readonly FileBinder _file;
    private readonly List<LanguageDiagnostic> _diagnostics;
    private string _name = "model";

    public ModelBinder(FileBinder file, List<LanguageDiagnostic> diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
    }

    public ModelSpec? Bind(DslModelDeclaration model)
    {
        string name = _name = model.Name.IsMissing ? "model" : model.Name.Text;
        int? inWidth = ExpressionBinder.Width(model.In, "In", _diagnostics);
        int? outWidth = ExpressionBinder.Width(model.Out, "Out", _diagnostics);
        int? width = inWidth;
        SourceSpan widthSpan = model.In.Span;
        var steps = new List<ModelStep>();
        bool ok = inWidth is not null && outWidth is not null;

        for (int i = 0; i < model.Steps.Count; i++)
        {
            DslStep step = model.Steps[i];
            string where = $"step {i + 1}";
            if (step.HasSyntaxErrors)
            {
                // Already reported; follow the width it states, if any, and add nothing.
                ok = false;
                width = step.Width is { IsMissing: false, Overflowed: false, Value: > 0 and <= int.MaxValue } w ? (int)w.Value : null;
                widthSpan = step.Width?.Span ?? step.Span;
                continue;
            }
            if (step.Width is null && step.Expression is DslCallExpression { HasArgumentList: false } call)
            {
                ok &= BindNamedStep(call, where, steps, ref width, ref widthSpan);
                continue;
            }

            int? stepOut = step.Width is { } written ? ExpressionBinder.Width(written, "width", _diagnostics) : IntrinsicOut(step.Expression);
            if (step.Width is null && stepOut is null && step.Expression is not DslMissingExpression)
            {
                Report(DiagnosticCatalog.MissingSize, step.Expression.Span, $"the output width of {where}", step.Expression.WrittenText + " -> 256;");
            }
            if (width is null || stepOut is null)
            {
                ok = false;
                width = stepOut;
                continue;
            }
            var flow = new Flow(width.Value, stepOut.Value, widthSpan, step.Width?.Span ?? step.Expression.Span,
                step.Width is null ? $"{where} of model '{name}'" : $"'-> {step.Width.Text}' ({where})", OutIsWidthToken: step.Width is not null, InSum: false);
            LayerSpec? layer = new ExpressionBinder(_diagnostics, _file, name).BindLayer(step.Expression, flow, step.Expression.Span);
            if (layer is null)
            {
                ok = false;
            }
            else
            {
                steps.Add(new LayerStep(layer, null));
            }
            width = stepOut;
            widthSpan = step.Width?.Span ?? step.Expression.Span;
        }

        if (model.Steps.Count == 0 && !model.Name.IsMissing)
        {
            Report(DiagnosticCatalog.MissingSize, model.Name.Span, $"the steps of model '{name}'", $"model {name} : 784 -> 10 {{ dense -> 10; }}");
            ok = false;
        }
        else if (width is { } last && outWidth is { } declared && last != declared)
        {
            Report(DiagnosticCatalog.WidthMismatch, widthSpan, $"the end of model '{name}' (declared output {declared})", last, declared);
            ok = false;
        }
        return ok && inWidth is { } i0 && outWidth is { } o0 ? new ModelSpec(i0, o0, steps.ToEquatableArray()) : null;
    }

    /// <summary><c>relu;</c> or <c>Up;</c>: an activation, or a layer of the file whose own widths say where the flow goes.</summary>
    private bool BindNamedStep(DslCallExpression call, string where, List<ModelStep> steps, ref int? width, ref SourceSpan widthSpan)
    {
        DslToken nameToken = call.Name;
        string name = nameToken.Text;
        if (nameToken.IsMissing)
        {
            width = null;
            return false;
        }
        if (ActivationNames.TryParse(name, out Activation activation))
        {
            if (width is null)
            {
                return false;
            }
            steps.Add(new ActivationStep(activation, width.Value));
            return true;
        }
        if (ReservedNames.IsDslStructureName(name))
        {
            Report(DiagnosticCatalog.MissingSize, call.Span, $"the output width of {where}", name + " -> 256;");
            width = null;
            return false;
        }
        if (_file.TryResolve(nameToken, _name, _diagnostics, out LayerSpec? layer))
        {
            if (layer is null)
            {
                width = null;
                return false;
            }
            bool ok = true;
            if (width is { } reaching && reaching != layer.In)
            {
                Report(DiagnosticCatalog.WidthMismatch, nameToken.Span, $"{where} ('{name}')", reaching, layer.In);
                ok = false;
            }
            steps.Add(new LayerStep(layer, name));
            width = layer.Out;
            widthSpan = nameToken.Span;
            return ok;
        }
        Report(DiagnosticCatalog.UnknownLayer, nameToken.Span, name, Suggestions.DidYouMean(name, _file.LayerNames.Concat(ActivationNames.All)));
        width = null;
        return false;
    }

    /// <summary>The output width an expression has by itself: that of a layer of the file it ends with.</summary>
    private int? IntrinsicOut(DslExpression expression) => expression switch
    {
        DslParenthesizedExpression p => IntrinsicOut(p.Inner),
        DslChainExpression c => IntrinsicOut(c.Terms[c.Terms.Count - 1]),
        DslSumExpression s => s.Terms.Select(IntrinsicOut).FirstOrDefault(w => w is not null),
        DslCallExpression call when !ReservedNames.IsDslStructureName(call.Name.Text) => _file.DeclaredOut(call.Name.Text),
        _ => null,
    };

    private void Report(DiagnosticDescriptorInfo descriptor, SourceSpan span, params object[] arguments)
        => _diagnostics.Add(LanguageDiagnostic.Create(descriptor, span, arguments));
}
