using System.Collections.Generic;

namespace StructGen.Language.Syntax;

/// <summary>
/// Splits DSL text into tokens. Whitespace and comments (<c>//</c> to the end of the line, <c>/* … */</c>)
/// separate tokens and are dropped. The lexer never fails: a character the DSL does not use, or an
/// unterminated comment, becomes a <see cref="DslTokenKind.Bad"/> token that the parser reports.
/// </summary>
public static class DslLexer
{
    public static IReadOnlyList<DslToken> Lex(DslText text)
    {
        var tokens = new List<DslToken>();
        string s = text.Text;
        int i = 0;
        while (true)
        {
            i = SkipTrivia(s, i, out int unterminatedComment);
            if (unterminatedComment >= 0)
            {
                tokens.Add(Token(text, DslTokenKind.Bad, unterminatedComment, s.Length - unterminatedComment));
                i = s.Length;
            }
            if (i >= s.Length)
            {
                tokens.Add(Token(text, DslTokenKind.EndOfText, s.Length, 0));
                return tokens;
            }

            char c = s[i];
            int start = i;
            if (IsIdentifierStart(c))
            {
                // `32x32`: an `x` glued to a number and followed by a digit is the shape operator.
                if ((c == 'x' || c == 'X') && i + 1 < s.Length && IsDigit(s[i + 1])
                    && tokens.Count > 0 && tokens[tokens.Count - 1] is { Kind: DslTokenKind.Integer } previous && previous.End == i)
                {
                    tokens.Add(Token(text, DslTokenKind.Times, i, 1));
                    i++;
                    continue;
                }
                i++;
                while (i < s.Length && IsIdentifierPart(s[i]))
                {
                    i++;
                }
                tokens.Add(Token(text, DslTokenKind.Identifier, start, i - start));
                continue;
            }
            if (IsDigit(c))
            {
                long value = 0;
                bool overflowed = false;
                while (i < s.Length && IsDigit(s[i]))
                {
                    int digit = s[i] - '0';
                    if (value > (long.MaxValue - digit) / 10)
                    {
                        overflowed = true;
                        value = long.MaxValue;
                    }
                    else if (!overflowed)
                    {
                        value = (value * 10) + digit;
                    }
                    i++;
                }
                tokens.Add(new DslToken(DslTokenKind.Integer, s.Substring(start, i - start), start, text.Span(start, i - start), value, overflowed));
                continue;
            }

            DslTokenKind kind;
            int length = 1;
            switch (c)
            {
                case '+': kind = DslTokenKind.Plus; break;
                case '-':
                    if (i + 1 < s.Length && s[i + 1] == '>')
                    {
                        kind = DslTokenKind.Arrow;
                        length = 2;
                    }
                    else
                    {
                        kind = DslTokenKind.Minus;
                    }
                    break;
                case '→': kind = DslTokenKind.Arrow; break;
                case '×': kind = DslTokenKind.Times; break;
                case ':': kind = DslTokenKind.Colon; break;
                case ';': kind = DslTokenKind.Semicolon; break;
                case ',': kind = DslTokenKind.Comma; break;
                case '.': kind = DslTokenKind.Dot; break;
                case '=': kind = DslTokenKind.Equals; break;
                case '(': kind = DslTokenKind.OpenParen; break;
                case ')': kind = DslTokenKind.CloseParen; break;
                case '{': kind = DslTokenKind.OpenBrace; break;
                case '}': kind = DslTokenKind.CloseBrace; break;
                default:
                    kind = DslTokenKind.Bad;
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        length = 2;
                    }
                    break;
            }
            tokens.Add(Token(text, kind, start, length));
            i += length;
        }
    }

    private static DslToken Token(DslText text, DslTokenKind kind, int start, int length)
        => new(kind, text.Text.Substring(start, length), start, text.Span(start, length));

    /// <summary>Skips whitespace and comments; reports the start of a <c>/*</c> that never closes.</summary>
    private static int SkipTrivia(string s, int i, out int unterminatedComment)
    {
        unterminatedComment = -1;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n' && s[i] != '\r' && s[i] != '\u2028' && s[i] != '\u2029' && s[i] != '\u0085')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                int close = s.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                if (close < 0)
                {
                    unterminatedComment = i;
                    return s.Length;
                }
                i = close + 2;
            }
            else
            {
                break;
            }
        }
        return i;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsIdentifierStart(char c) => c == '_' || (c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : char.IsLetter(c));

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c) || (c >= 128 && char.IsDigit(c));
}
