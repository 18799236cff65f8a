using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;

namespace StructGen.Language.Binding;

/// <summary><c>model Name : In -&gt; Out { … }</c> bound.</summary>
public sealed record BoundModelDeclaration(string? Namespace, string Name, ModelSpec? Spec, SourceSpan NameSpan, SourceSpan Span, EquatableArray<LanguageDiagnostic> Diagnostics)
    : BoundDeclaration(Namespace, Name, NameSpan, Span, Diagnostics);
