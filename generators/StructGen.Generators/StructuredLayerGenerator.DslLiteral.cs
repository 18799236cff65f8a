using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using StructGen.Language.Diagnostics;

namespace StructGen.Generators;

public sealed partial class StructuredLayerGenerator
{
    /// <summary>
    /// Where each character of a <c>[StructuredLinear("…")]</c> expression lies in the C# file, so a DSL
    /// diagnostic lands on the exact token inside the string. A plain literal (<c>"…"</c> without escapes,
    /// <c>@"…"</c> without doubled quotes, a one-line raw string) is a straight run of characters: the binder
    /// gets the position of its first character as the expression's origin and places every span itself.
    /// Anything else (escapes, a multi-line raw string whose indentation is not part of the value) is bound
    /// at a <see cref="Sentinel"/> origin and each span mapped back through a per-character table. An
    /// expression that is not a literal (a constant, a concatenation) has no characters in the file to point
    /// at: its diagnostics go on the whole argument.
    /// </summary>
    internal sealed class DslLiteral
    {
        /// <summary>
        /// A position past any real C# file where the expression is bound when it needs mapping; spans at or
        /// after it are the expression's (offset = start − sentinel), spans before it are the attribute's own.
        /// </summary>
        private const int Sentinel = 1 << 29;

        private readonly SyntaxTree _tree;
        private readonly TextSpan _argument;
        private readonly int[]? _map;

        private DslLiteral(SyntaxTree tree, TextSpan argument, int[]? map, SourceSpan origin)
        {
            _tree = tree;
            _argument = argument;
            _map = map;
            Origin = origin;
        }

        /// <summary>The origin to bind the expression at.</summary>
        public SourceSpan Origin { get; }

        /// <summary>Whether diagnostics need <see cref="Map"/> (false when the origin places them exactly).</summary>
        public bool NeedsMapping => Origin.Start == Sentinel;

        public static DslLiteral For(ExpressionSyntax expression)
        {
            SyntaxTree tree = expression.SyntaxTree;
            int[]? map = expression is LiteralExpressionSyntax { Token: var token } literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                ? CharacterMap(token)
                : null;
            if (map is not null && IsStraight(map))
            {
                // One character of source per character of value: the binder places spans from the origin.
                int start = map[0];
                LinePosition position = tree.GetLineSpan(new TextSpan(start, 0)).StartLinePosition;
                var origin = new SourceSpan(start, 0, position.Line, position.Character, position.Line, position.Character);
                return new DslLiteral(tree, expression.Span, map, origin);
            }
            return new DslLiteral(tree, expression.Span, map, new SourceSpan(Sentinel, 0, 0, 0, 0, 0));
        }

        /// <summary>A diagnostic of the binder, placed in the C# file.</summary>
        public LanguageDiagnostic Map(LanguageDiagnostic diagnostic)
        {
            if (!NeedsMapping || diagnostic.Span.Start < Sentinel)
            {
                return diagnostic;
            }
            TextSpan span;
            if (_map is null)
            {
                span = _argument;
            }
            else
            {
                int last = _map.Length - 1;
                int from = System.Math.Min(diagnostic.Span.Start - Sentinel, last);
                int to = System.Math.Min(from + diagnostic.Span.Length, last);
                span = TextSpan.FromBounds(_map[from], System.Math.Max(_map[from], _map[to]));
            }
            FileLinePositionSpan lines = _tree.GetLineSpan(span);
            var mapped = new SourceSpan(span.Start, span.Length,
                lines.StartLinePosition.Line, lines.StartLinePosition.Character, lines.EndLinePosition.Line, lines.EndLinePosition.Character);
            return diagnostic with { Span = mapped };
        }

        /// <summary>Every value character i in [map[i], map[i + 1]) of the file; map[length] is where the value ends.</summary>
        private static bool IsStraight(int[] map)
        {
            for (int i = 1; i < map.Length; i++)
            {
                if (map[i] != map[i - 1] + 1)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>
        /// For each character of the literal's value, the position in the file where it is written (escapes,
        /// doubled quotes and raw-string indentation accounted for); null when the table does not rebuild the
        /// value exactly (then diagnostics fall back to the whole argument rather than a wrong place).
        /// </summary>
        private static int[]? CharacterMap(SyntaxToken token)
        {
            try
            {
                return CharacterMapCore(token);
            }
            catch (System.Exception ex) when (ex is System.FormatException or System.OverflowException or System.ArgumentException)
            {
                return null; // a malformed escape (the compiler reports it): no exact place to point at
            }
        }

        private static int[]? CharacterMapCore(SyntaxToken token)
        {
            string text = token.Text;
            int start = token.SpanStart;
            var map = new List<int>();
            var value = new System.Text.StringBuilder();
            if (token.IsKind(SyntaxKind.StringLiteralToken) && text.StartsWith("@\"", System.StringComparison.Ordinal))
            {
                for (int i = 2; i < text.Length - 1; i++)
                {
                    map.Add(start + i);
                    value.Append(text[i]);
                    if (text[i] == '"')
                    {
                        i++; // "" is one quote
                    }
                }
                map.Add(start + text.Length - 1);
            }
            else if (token.IsKind(SyntaxKind.StringLiteralToken) && text.StartsWith("\"", System.StringComparison.Ordinal))
            {
                for (int i = 1; i < text.Length - 1;)
                {
                    int length = text[i] == '\\' ? EscapeLength(text, i) : 1;
                    string produced = text[i] == '\\' ? Unescape(text.Substring(i, length)) : text[i].ToString();
                    foreach (char c in produced)
                    {
                        map.Add(start + i);
                        value.Append(c);
                    }
                    i += length;
                }
                map.Add(start + text.Length - 1);
            }
            else if (token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
            {
                int quotes = 0;
                while (quotes < text.Length && text[quotes] == '"')
                {
                    quotes++;
                }
                for (int i = quotes; i < text.Length - quotes; i++)
                {
                    map.Add(start + i);
                    value.Append(text[i]);
                }
                map.Add(start + text.Length - quotes);
            }
            else if (token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
            {
                MultiLineRaw(text, start, map, value);
            }
            else
            {
                return null;
            }
            return value.ToString() == token.ValueText ? map.ToArray() : null;
        }

        /// <summary>
        /// <c>"""</c>, a line break, content lines each indented by (at least) the closing line's
        /// whitespace, then the closing line. The value is the content lines without that indentation,
        /// joined by their own line breaks; whitespace-only lines are empty.
        /// </summary>
        private static void MultiLineRaw(string text, int start, List<int> map, System.Text.StringBuilder value)
        {
            var lines = new List<(int Start, int End, int BreakEnd)>();
            for (int i = 0; i < text.Length;)
            {
                int end = i;
                while (end < text.Length && text[end] != '\r' && text[end] != '\n' && text[end] != '\u0085' && text[end] != '\u2028' && text[end] != '\u2029')
                {
                    end++;
                }
                int breakEnd = end < text.Length ? (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1) : end;
                lines.Add((i, end, breakEnd));
                i = breakEnd;
                if (end == text.Length)
                {
                    break;
                }
            }
            if (lines.Count < 2)
            {
                return;
            }
            (int closingStart, int closingEnd, _) = lines[lines.Count - 1];
            int indentation = 0;
            while (closingStart + indentation < closingEnd && (text[closingStart + indentation] == ' ' || text[closingStart + indentation] == '\t'))
            {
                indentation++;
            }
            for (int l = 1; l < lines.Count - 1; l++)
            {
                (int lineStart, int lineEnd, int breakEnd) = lines[l];
                bool blank = true;
                for (int i = lineStart; i < lineEnd; i++)
                {
                    blank &= text[i] == ' ' || text[i] == '\t';
                }
                if (!blank)
                {
                    for (int i = lineStart + indentation; i < lineEnd; i++)
                    {
                        map.Add(start + i);
                        value.Append(text[i]);
                    }
                }
                if (l < lines.Count - 2)
                {
                    for (int i = lineEnd; i < breakEnd; i++)
                    {
                        map.Add(start + i);
                        value.Append(text[i]);
                    }
                }
                else
                {
                    map.Add(start + lineEnd);
                }
            }
        }

        private static int EscapeLength(string text, int at)
        {
            if (at + 1 >= text.Length)
            {
                return 1;
            }
            switch (text[at + 1])
            {
                case 'u':
                    return 6;
                case 'U':
                    return 10;
                case 'x':
                    int length = 2;
                    while (length < 6 && at + length < text.Length - 1 && IsHexDigit(text[at + length]))
                    {
                        length++;
                    }
                    return length;
                default:
                    return 2;
            }
        }

        private static string Unescape(string escape)
        {
            if (escape.Length < 2)
            {
                return escape;
            }
            switch (escape[1])
            {
                case 'u':
                case 'x':
                    return ((char)int.Parse(escape.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString();
                case 'U':
                    return char.ConvertFromUtf32(int.Parse(escape.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                case 'n': return "\n";
                case 'r': return "\r";
                case 't': return "\t";
                case '0': return "\0";
                case 'a': return "\a";
                case 'b': return "\b";
                case 'f': return "\f";
                case 'v': return "\v";
                case 'e': return "\u001b";
                default: return escape.Substring(1);
            }
        }

        private static bool IsHexDigit(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';
    }
}
