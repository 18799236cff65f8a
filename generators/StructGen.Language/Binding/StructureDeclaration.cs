using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Binding;

/// <summary>
/// A structure attribute as written on a class: which structure (<c>Monarch</c>, <c>LowRank</c>, …) and
/// its arguments. The generator's parser builds it from Roslyn's syntax; the binder turns it into IR.
/// </summary>
/// <param name="Structure">Attribute name without the <c>Attribute</c> suffix.</param>
/// <param name="Arguments">Arguments in source order.</param>
/// <param name="Span">Span of the whole attribute (for diagnostics not tied to one argument).</param>
public sealed record StructureDeclaration(string Structure, EquatableArray<ArgumentValue> Arguments, SourceSpan Span)
{
    public ArgumentValue? Find(string name)
    {
        foreach (ArgumentValue argument in Arguments)
        {
            if (argument.Name == name)
            {
                return argument;
            }
        }
        return null;
    }

    /// <summary>Span of the named argument, or of the attribute when the argument is not written.</summary>
    public SourceSpan SpanOf(string name) => Find(name)?.Span ?? Span;
}
