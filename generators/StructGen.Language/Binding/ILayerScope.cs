using System.Collections.Generic;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;
using StructGen.Language.Syntax;

namespace StructGen.Language.Binding;

/// <summary>The layers a DSL expression can name: those of its file (an attribute's expression has none).</summary>
internal interface ILayerScope
{
    /// <summary>Layer names, for suggestions.</summary>
    IEnumerable<string> LayerNames { get; }

    /// <summary>
    /// Looks <paramref name="name"/> up for the declaration <paramref name="owner"/>. False when no
    /// declaration of the file has that name. True otherwise, with the layer's spec, or null when it cannot
    /// be used (a model, a cycle, a layer with errors), in which case the reason is already reported.
    /// </summary>
    bool TryResolve(DslToken name, string owner, List<LanguageDiagnostic> diagnostics, out LayerSpec? spec);

    /// <summary>The output width declared in a layer's header, even when its body has errors.</summary>
    int? DeclaredOut(string layer);
}
