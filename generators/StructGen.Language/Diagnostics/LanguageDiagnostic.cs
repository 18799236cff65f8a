using System.Globalization;
using StructGen.Language.Collections;

namespace StructGen.Language.Diagnostics;

/// <summary>A diagnostic produced by the language: which catalog entry, where, and the message arguments.</summary>
public sealed record LanguageDiagnostic(DiagnosticDescriptorInfo Descriptor, SourceSpan Span, EquatableArray<string> Arguments)
{
    public string Id => Descriptor.Id;

    public string Message => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat, Arguments.ToObjectArray());

    public override string ToString() => $"{Id} {Span}: {Message}";

    public static LanguageDiagnostic Create(DiagnosticDescriptorInfo descriptor, SourceSpan span, params object[] arguments)
    {
        var texts = new string[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            texts[i] = System.Convert.ToString(arguments[i], CultureInfo.InvariantCulture) ?? string.Empty;
        }
        return new LanguageDiagnostic(descriptor, span, EquatableArray.Create(texts));
    }
}

internal static class EquatableArrayFormatting
{
    public static object[] ToObjectArray(this EquatableArray<string> items)
    {
        var result = new object[items.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = items[i];
        }
        return result;
    }
}
