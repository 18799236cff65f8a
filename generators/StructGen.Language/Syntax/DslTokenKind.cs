namespace StructGen.Language.Syntax;

/// <summary>The kinds of token of the DSL. Keywords (<c>namespace</c>, <c>layer</c>, <c>model</c>) are identifiers the parser recognises in place.</summary>
public enum DslTokenKind
{
    EndOfText,
    Identifier,
    Integer,
    /// <summary><c>+</c></summary>
    Plus,
    /// <summary><c>-</c> (a sign: sizes are checked for positivity by the binder, not rejected by the parser).</summary>
    Minus,
    /// <summary><c>-&gt;</c></summary>
    Arrow,
    /// <summary><c>x</c> between two numbers (<c>32x32</c>) or <c>×</c>.</summary>
    Times,
    Colon,
    Semicolon,
    Comma,
    Dot,
    Equals,
    OpenParen,
    CloseParen,
    OpenBrace,
    CloseBrace,
    /// <summary>A character the DSL does not use, or an unterminated comment; reported once and skipped by the parser.</summary>
    Bad,
}
