using System.Linq;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Binding;

/// <summary>
/// A <c>.sgl</c> file bound: its declarations in source order and every diagnostic of the file once, in
/// text order (those of each declaration, plus syntax errors between declarations and namespace errors).
/// Report <see cref="Diagnostics"/>; generate the declarations whose spec is not null.
/// </summary>
public sealed record BoundFile(string? Namespace, EquatableArray<BoundDeclaration> Declarations, EquatableArray<LanguageDiagnostic> Diagnostics)
{
    public EquatableArray<BoundLayerDeclaration> Layers => Declarations.OfType<BoundLayerDeclaration>().ToEquatableArray();

    public EquatableArray<BoundModelDeclaration> Models => Declarations.OfType<BoundModelDeclaration>().ToEquatableArray();

    public bool HasErrors => Diagnostics.Any(d => d.Descriptor.Severity == DiagnosticSeverityLevel.Error);
}
