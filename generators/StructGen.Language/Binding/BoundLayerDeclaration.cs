using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;

namespace StructGen.Language.Binding;

/// <summary><c>layer Name : In -&gt; Out = expression;</c> bound: a linear layer with a bias and seed 0 (the attributes' defaults).</summary>
public sealed record BoundLayerDeclaration(string? Namespace, string Name, LayerSpec? Spec, SourceSpan NameSpan, SourceSpan Span, EquatableArray<LanguageDiagnostic> Diagnostics)
    : BoundDeclaration(Namespace, Name, NameSpan, Span, Diagnostics)
{
    /// <summary>DSL layers carry a bias <c>[Out]</c>, as <c>torch.nn.Linear</c>.</summary>
    public bool Bias => true;

    /// <summary>The initialization seed of DSL layers.</summary>
    public int Seed => 0;
}
