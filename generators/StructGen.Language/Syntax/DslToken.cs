using System.Globalization;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary>
/// One token: its kind, text and exact span. A token the parser expected but did not find is
/// <see cref="IsMissing"/>: zero-width, placed right after the previous token.
/// </summary>
public sealed class DslToken
{
    public DslToken(DslTokenKind kind, string text, int start, SourceSpan span, long value = 0, bool overflowed = false, bool isMissing = false)
    {
        Kind = kind;
        Text = text;
        Start = start;
        Span = span;
        Value = value;
        Overflowed = overflowed;
        IsMissing = isMissing;
    }

    public DslTokenKind Kind { get; }

    public string Text { get; }

    /// <summary>Offset in the DSL text (not in the enclosing file; see <see cref="Span"/> for that).</summary>
    public int Start { get; }

    public int Length => Text.Length;

    public int End => Start + Text.Length;

    /// <summary>Where the token lies in the file (the DSL text's origin applied).</summary>
    public SourceSpan Span { get; }

    /// <summary>For <see cref="DslTokenKind.Integer"/>: the value, saturated at <c>long.MaxValue</c>.</summary>
    public long Value { get; }

    /// <summary>For <see cref="DslTokenKind.Integer"/>: the literal does not fit in 64 bits.</summary>
    public bool Overflowed { get; }

    public bool IsMissing { get; }

    /// <summary>How a message names the token: <c>'monarch'</c>, <c>end of text</c>, <c>U+0007</c>.</summary>
    public string Describe()
    {
        if (Kind == DslTokenKind.EndOfText)
        {
            return "end of text";
        }
        if (Text.Length == 1 && (char.IsControl(Text[0]) || char.IsWhiteSpace(Text[0]) || char.IsSurrogate(Text[0])))
        {
            return "U+" + ((int)Text[0]).ToString("X4", CultureInfo.InvariantCulture);
        }
        string shown = Text.Length > 32 ? Text.Substring(0, 32) + "…" : Text;
        return "'" + shown + "'";
    }

    public bool Is(string identifier) => Kind == DslTokenKind.Identifier && Text == identifier;

    public override string ToString() => $"{Kind} {Text} {Span}";
}
