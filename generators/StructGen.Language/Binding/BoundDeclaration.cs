using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Binding;

/// <summary>
/// A declaration of a <c>.sgl</c> file after binding: its C# namespace and name, where it is, and the
/// diagnostics that concern it (syntax errors inside it included). Its spec is null exactly when one of
/// them is an error (or the file's namespace is unusable), and then nothing is generated for it.
/// </summary>
/// <param name="Namespace">The file's namespace, or null for the global namespace.</param>
/// <param name="Name">The declared name (the generated class).</param>
/// <param name="NameSpan">Where the name is written.</param>
/// <param name="Span">The whole declaration.</param>
/// <param name="Diagnostics">Diagnostics about this declaration.</param>
public abstract record BoundDeclaration(string? Namespace, string Name, SourceSpan NameSpan, SourceSpan Span, EquatableArray<LanguageDiagnostic> Diagnostics)
{
    /// <summary><c>Demo.Layers.FfnUp</c>.</summary>
    public string FullName => string.IsNullOrEmpty(Namespace) ? Name : Namespace + "." + Name;

    public bool HasErrors
    {
        get
        {
            foreach (LanguageDiagnostic d in Diagnostics)
            {
                if (d.Descriptor.Severity == DiagnosticSeverityLevel.Error)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
