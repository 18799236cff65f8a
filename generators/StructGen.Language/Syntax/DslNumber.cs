namespace StructGen.Language.Syntax;

/// <summary>
/// An integer with an optional sign. The parser accepts <c>-4</c> so that the binder can say "must be
/// positive" on the number rather than a syntax error on the sign.
/// </summary>
public sealed class DslNumber : DslValue
{
    public DslNumber(DslText text, DslToken? minus, DslToken digits)
        : base(text, minus?.Start ?? digits.Start, digits.IsMissing ? minus?.End ?? digits.Start : digits.End)
    {
        Minus = minus;
        Digits = digits;
    }

    public DslToken? Minus { get; }

    public DslToken Digits { get; }

    public bool IsMissing => Digits.IsMissing;

    /// <summary>The literal does not fit in 64 bits.</summary>
    public bool Overflowed => Digits.Overflowed;

    public long Value => Minus is null ? Digits.Value : -Digits.Value;

    /// <summary>The number as written, without spaces (<c>-4</c>, <c>99999999999999999999</c>).</summary>
    public string Text => (Minus is null ? string.Empty : "-") + Digits.Text;
}
