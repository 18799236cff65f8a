using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;

namespace StructGen.Generators.Model;

/// <summary>
/// A diagnostic as plain values (file path and span instead of a <see cref="Location"/>), so the models
/// that carry it stay equatable and hold nothing of the compilation.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptorInfo Descriptor, string FilePath, SourceSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo From(LanguageDiagnostic diagnostic, string filePath)
        => new(diagnostic.Descriptor, filePath, diagnostic.Span, diagnostic.Arguments);

    public Diagnostic ToDiagnostic()
    {
        Location location = FilePath.Length == 0
            ? Location.None
            : Location.Create(FilePath, new TextSpan(Span.Start, Span.Length),
                new LinePositionSpan(new LinePosition(Span.StartLine, Span.StartColumn), new LinePosition(Span.EndLine, Span.EndColumn)));
        var args = new object[Arguments.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Arguments[i];
        }
        return Diagnostic.Create(DiagnosticDescriptors.Get(Descriptor), location, args);
    }
}
