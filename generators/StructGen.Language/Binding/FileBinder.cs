using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;
using StructGen.Language.Syntax;

namespace StructGen.Language.Binding;

/// <summary>
/// Binds a parsed <c>.sgl</c> file. Names first (duplicates, reserved words), then the layers in
/// dependency order, so a layer may use a layer declared after it and no binding ever recurses into
/// another declaration (cycles are found up front, by an explicit-stack walk), then the models.
/// </summary>
internal sealed class FileBinder : ILayerScope
{
    private readonly DslParseResult<DslFile> _parse;
    private readonly Dictionary<string, DslDeclaration> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LayerEntry> _layers = new(StringComparer.Ordinal);
    private readonly List<LayerEntry> _layersInOrder = new();
    private readonly Dictionary<DslToken, string> _cycles = new();

    public FileBinder(DslParseResult<DslFile> parse) => _parse = parse;

    public IEnumerable<string> LayerNames => _layersInOrder.Select(l => l.Name);

    public BoundFile Bind()
    {
        DslFile file = _parse.Root;
        var namespaceDiagnostics = new List<LanguageDiagnostic>();
        string? ns = BindNamespace(file.Namespace, namespaceDiagnostics, out bool namespaceUsable);

        var own = new Dictionary<DslDeclaration, List<LanguageDiagnostic>>();
        foreach (DslDeclaration declaration in file.Declarations)
        {
            var diagnostics = new List<LanguageDiagnostic>();
            own[declaration] = diagnostics;
            RegisterName(declaration, diagnostics);
        }

        foreach (LayerEntry layer in DependencyOrder())
        {
            BindLayer(layer);
        }

        var bound = new List<BoundDeclaration>();
        foreach (DslDeclaration declaration in file.Declarations)
        {
            List<LanguageDiagnostic> diagnostics = own[declaration];
            string name = declaration.Name.Text;
            EquatableArray<LanguageDiagnostic> all;
            bool usable;
            if (declaration is DslLayerDeclaration layerSyntax)
            {
                LayerEntry entry = _layers.TryGetValue(name, out LayerEntry? registered) && registered.Syntax == layerSyntax
                    ? registered
                    : BindUnregistered(layerSyntax, diagnostics);
                all = InTextOrder(declaration.SyntaxDiagnostics.Concat(diagnostics));
                usable = namespaceUsable && !all.Any(IsError);
                bound.Add(new BoundLayerDeclaration(ns, name, usable ? entry.Spec : null, declaration.Name.Span, declaration.Span, all));
            }
            else if (declaration is DslModelDeclaration modelSyntax)
            {
                ModelSpec? model = new ModelBinder(this, diagnostics).Bind(modelSyntax);
                all = InTextOrder(declaration.SyntaxDiagnostics.Concat(diagnostics));
                usable = namespaceUsable && !all.Any(IsError);
                bound.Add(new BoundModelDeclaration(ns, name, usable ? model : null, declaration.Name.Span, declaration.Span, all));
            }
        }

        IEnumerable<LanguageDiagnostic> every = _parse.Diagnostics
            .Concat(namespaceDiagnostics)
            .Concat(file.Declarations.SelectMany(d => own[d]));
        return new BoundFile(ns, bound.ToEquatableArray(), InTextOrder(every));
    }

    public bool TryResolve(DslToken name, string owner, List<LanguageDiagnostic> diagnostics, out LayerSpec? spec)
    {
        spec = null;
        if (_cycles.TryGetValue(name, out string? cycle))
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.CyclicLayer, name.Span, owner, cycle));
            return true;
        }
        if (_layers.TryGetValue(name.Text, out LayerEntry? layer))
        {
            if (!layer.Bound)
            {
                // Only reachable through a cycle the walk has already reported elsewhere.
                diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.CyclicLayer, name.Span, owner, owner + " -> " + name.Text));
            }
            else if (layer.Spec is null)
            {
                diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.UsesInvalidLayer, name.Span, owner, name.Text));
            }
            spec = layer.Spec;
            return true;
        }
        if (_declared.TryGetValue(name.Text, out DslDeclaration? declaration) && declaration is DslModelDeclaration)
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.UnknownLayer, name.Span, name.Text,
                $"; '{name.Text}' is a model, which is not linear: use its layers instead"));
            return true;
        }
        return false;
    }

    public int? DeclaredOut(string layer) => _layers.TryGetValue(layer, out LayerEntry? entry) ? entry.DeclaredOut : null;

    private static EquatableArray<LanguageDiagnostic> InTextOrder(IEnumerable<LanguageDiagnostic> diagnostics)
        => diagnostics.OrderBy(d => d.Span.Start).ToEquatableArray();

    private static bool IsError(LanguageDiagnostic d) => d.Descriptor.Severity == DiagnosticSeverityLevel.Error;

    private static string? BindNamespace(DslNamespace? syntax, List<LanguageDiagnostic> diagnostics, out bool usable)
    {
        usable = true;
        if (syntax is null)
        {
            return null;
        }
        foreach (DslToken part in syntax.Parts)
        {
            if (part.IsMissing)
            {
                usable = false;
            }
            else if (ReservedNames.WhyReservedForNamespace(part.Text) is { } why)
            {
                diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.ReservedName, part.Span, part.Text, why));
                usable = false;
            }
        }
        return syntax.Name;
    }

    private void RegisterName(DslDeclaration declaration, List<LanguageDiagnostic> diagnostics)
    {
        DslToken name = declaration.Name;
        if (name.IsMissing)
        {
            return;
        }
        if (ReservedNames.WhyReservedForDeclaration(name.Text) is { } why)
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.ReservedName, name.Span, name.Text, why));
        }
        if (_declared.ContainsKey(name.Text))
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.DuplicateName, name.Span, name.Text));
            return;
        }
        _declared[name.Text] = declaration;
        if (declaration is DslLayerDeclaration layer)
        {
            var entry = new LayerEntry(layer, diagnostics);
            _layers[name.Text] = entry;
            _layersInOrder.Add(entry);
        }
    }

    /// <summary>
    /// The layers with every layer after those it uses (depth-first, explicit stack). A use that closes
    /// a cycle is recorded; binding reports it on that very name.
    /// </summary>
    private List<LayerEntry> DependencyOrder()
    {
        var order = new List<LayerEntry>();
        var state = new Dictionary<LayerEntry, int>();
        foreach (LayerEntry root in _layersInOrder)
        {
            if (state.ContainsKey(root))
            {
                continue;
            }
            state[root] = 1;
            var stack = new List<(LayerEntry Entry, int Next)> { (root, 0) };
            while (stack.Count > 0)
            {
                (LayerEntry entry, int next) = stack[stack.Count - 1];
                IReadOnlyList<(DslToken Token, LayerEntry Layer)> uses = entry.Uses(_layers);
                if (next == uses.Count)
                {
                    state[entry] = 2;
                    order.Add(entry);
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }
                stack[stack.Count - 1] = (entry, next + 1);
                (DslToken token, LayerEntry used) = uses[next];
                if (!state.TryGetValue(used, out int s))
                {
                    state[used] = 1;
                    stack.Add((used, 0));
                }
                else if (s == 1)
                {
                    int from = stack.FindIndex(f => f.Entry == used);
                    _cycles[token] = string.Join(" -> ", stack.Skip(from).Select(f => f.Entry.Name).Concat(new[] { used.Name }));
                }
            }
        }
        return order;
    }

    private void BindLayer(LayerEntry layer)
    {
        DslLayerDeclaration syntax = layer.Syntax;
        List<LanguageDiagnostic> diagnostics = layer.Diagnostics;
        int? inWidth = ExpressionBinder.Width(syntax.In, "In", diagnostics);
        int? outWidth = ExpressionBinder.Width(syntax.Out, "Out", diagnostics);
        layer.DeclaredOut = outWidth;
        LayerSpec? spec = null;
        if (inWidth is { } i && outWidth is { } o)
        {
            var flow = new Flow(i, o, syntax.In.Span, syntax.Out.Span, $"the output of layer '{layer.Name}' ({o})", OutIsWidthToken: false, InSum: false);
            spec = new ExpressionBinder(diagnostics, this, layer.Name).BindLayer(syntax.Expression, flow, syntax.Expression.Span);
        }
        bool failed = syntax.SyntaxDiagnostics.Any(IsError) || diagnostics.Any(IsError);
        layer.Spec = failed ? null : spec;
        layer.Bound = true;
    }

    /// <summary>A second declaration of a name is not in scope, but its own errors are still worth reporting.</summary>
    private LayerEntry BindUnregistered(DslLayerDeclaration syntax, List<LanguageDiagnostic> diagnostics)
    {
        var entry = new LayerEntry(syntax, diagnostics);
        BindLayer(entry);
        return entry;
    }

    /// <summary>A layer of the file while it is being bound.</summary>
    private sealed class LayerEntry
    {
        private List<(DslToken Token, LayerEntry Layer)>? _uses;

        public LayerEntry(DslLayerDeclaration syntax, List<LanguageDiagnostic> diagnostics)
        {
            Syntax = syntax;
            Diagnostics = diagnostics;
        }

        public DslLayerDeclaration Syntax { get; }

        public string Name => Syntax.Name.Text;

        public List<LanguageDiagnostic> Diagnostics { get; }

        public bool Bound { get; set; }

        public LayerSpec? Spec { get; set; }

        public int? DeclaredOut { get; set; }

        /// <summary>The file's layers this one names, with the token that names each.</summary>
        public IReadOnlyList<(DslToken Token, LayerEntry Layer)> Uses(Dictionary<string, LayerEntry> layers)
        {
            if (_uses is null)
            {
                _uses = new List<(DslToken, LayerEntry)>();
                Collect(Syntax.Expression, layers, _uses);
            }
            return _uses;
        }

        private static void Collect(DslExpression expression, Dictionary<string, LayerEntry> layers, List<(DslToken, LayerEntry)> uses)
        {
            switch (expression)
            {
                case DslParenthesizedExpression p:
                    Collect(p.Inner, layers, uses);
                    break;
                case DslSumExpression s:
                    foreach (DslExpression term in s.Terms)
                    {
                        Collect(term, layers, uses);
                    }
                    break;
                case DslChainExpression c:
                    foreach (DslExpression term in c.Terms)
                    {
                        Collect(term, layers, uses);
                    }
                    break;
                case DslCallExpression call when !ReservedNames.IsDslStructureName(call.Name.Text) && layers.TryGetValue(call.Name.Text, out LayerEntry? used):
                    uses.Add((call.Name, used));
                    break;
            }
        }
    }
}
