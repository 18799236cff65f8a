using StructGen.Language.Diagnostics;

namespace StructGen.Language.Binding;

/// <summary>What kind of constant an argument holds.</summary>
public enum ArgumentKind
{
    Integer,
    Boolean,
    String,
    /// <summary>Not a constant the binder understands (wrong type, or not constant).</summary>
    Other,
}

/// <summary>
/// One argument as written by the user, Roslyn-free: from an attribute (<c>blocks: 16</c>, <c>In = 1024</c>)
/// or from the DSL (<c>blocks: 16</c>). Integers are kept in 64 bits so overflow is diagnosed, not wrapped.
/// </summary>
/// <param name="Name">Parameter or property name as declared (<c>blocks</c>, <c>r</c>, <c>In</c>, …).</param>
/// <param name="Kind">Kind of constant.</param>
/// <param name="Integer">Value when <see cref="Kind"/> is <see cref="ArgumentKind.Integer"/>.</param>
/// <param name="Text">String value, or the source text / type name for other kinds (used in messages).</param>
/// <param name="Span">Where the argument is written.</param>
public sealed record ArgumentValue(string Name, ArgumentKind Kind, long Integer, string Text, SourceSpan Span)
{
    public bool Boolean => Kind == ArgumentKind.Boolean && Integer != 0;

    public static ArgumentValue FromInteger(string name, long value, SourceSpan span) => new(name, ArgumentKind.Integer, value, value.ToString(System.Globalization.CultureInfo.InvariantCulture), span);

    public static ArgumentValue FromBoolean(string name, bool value, SourceSpan span) => new(name, ArgumentKind.Boolean, value ? 1 : 0, value ? "true" : "false", span);

    public static ArgumentValue FromString(string name, string value, SourceSpan span) => new(name, ArgumentKind.String, 0, value, span);
}
