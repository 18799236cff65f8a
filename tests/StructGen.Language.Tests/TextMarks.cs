using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Tests;

/// <summary>Finds where a piece of DSL text is, so tests can say "the diagnostic is on this token".</summary>
internal static class TextMarks
{
    /// <summary>Offset of the <paramref name="occurrence"/>-th <paramref name="part"/> in <paramref name="text"/>.</summary>
    public static int OffsetOf(string text, string part, int occurrence = 0)
    {
        int index = -1;
        for (int i = 0; i <= occurrence; i++)
        {
            index = text.IndexOf(part, index + 1, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{part}' (occurrence {occurrence}) not in: {text}");
        }
        return index;
    }

    /// <summary>The single diagnostic with <paramref name="id"/>, asserted to cover exactly <paramref name="part"/>.</summary>
    public static LanguageDiagnostic Single(IEnumerable<LanguageDiagnostic> diagnostics, string id, string text, string part, int occurrence = 0, int originOffset = 0)
    {
        var matching = diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {Describe(diagnostics)}");
        LanguageDiagnostic d = matching[0];
        Assert.Equal(originOffset + OffsetOf(text, part, occurrence), d.Span.Start);
        Assert.Equal(part.Length, d.Span.Length);
        return d;
    }

    public static string Describe(IEnumerable<LanguageDiagnostic> diagnostics)
        => string.Join(" | ", diagnostics.Select(d => d.ToString()));

    public static string[] Ids(IEnumerable<LanguageDiagnostic> diagnostics) => diagnostics.Select(d => d.Id).ToArray();
}
