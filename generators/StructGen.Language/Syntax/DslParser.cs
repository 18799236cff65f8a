using System.Collections.Generic;
using System.Linq;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary>
/// Recursive-descent parser for the DSL (grammar in docs/dsl.md). It never throws and always returns
/// a tree: a token it expected and did not find is inserted as a zero-width missing token and reported
/// (SG0001, on the token actually found); after a broken statement it skips to the next <c>;</c>, <c>}</c>
/// or declaration keyword and goes on, so one pass reports several errors. At most one error is
/// reported per position, so an error does not cascade into a string of follow-ups.
/// </summary>
/// <remarks>
/// Precedence: <c>+</c> binds tighter than <c>-&gt;</c>, so <c>a + b -&gt; 64 -&gt; c</c> is
/// <c>(a + b) -&gt; 64 -&gt; c</c>. Parentheses nest at most <see cref="MaxNesting"/> deep, which bounds the
/// recursion of the parser and the binder whatever the input.
/// </remarks>
public sealed class DslParser
{
    /// <summary>How deep parentheses may nest.</summary>
    public const int MaxNesting = 64;

    private const string TermExpected = "a structure (dense, lowrank(r: 8), monarch(blocks: 4), kronecker, blast, blockdiag), a layer name or '('";

    private readonly DslText _text;
    private readonly IReadOnlyList<DslToken> _tokens;
    private readonly List<Report> _reports = new();
    private int _index;
    private int _previousEnd;
    private int _lastErrorAt = -1;
    private int _nesting;

    private DslParser(DslText text)
    {
        _text = text;
        _tokens = DslLexer.Lex(text);
        SkipBadTokens();
    }

    /// <summary>Parses an expression such as the one in <c>[StructuredLinear("dense + lowrank(r: 8)")]</c>.</summary>
    /// <param name="text">The expression.</param>
    /// <param name="origin">Where its first character lies in the enclosing file (see <see cref="DslText"/>).</param>
    public static DslParseResult<DslExpression> ParseExpression(string text, SourceSpan origin = default)
    {
        var parser = new DslParser(new DslText(text, origin));
        DslExpression root = parser.ParseChain(allowOutputWidth: false, out _);
        if (parser.Current.Kind != DslTokenKind.EndOfText)
        {
            parser.Error("'+', '->' or the end of the expression", parser.Current);
            while (parser.Current.Kind != DslTokenKind.EndOfText)
            {
                parser.Advance();
            }
        }
        return parser.Result(root);
    }

    /// <summary>Parses a <c>.sgl</c> file.</summary>
    public static DslParseResult<DslFile> ParseFile(string text, SourceSpan origin = default)
    {
        var parser = new DslParser(new DslText(text, origin));
        return parser.Result(parser.ParseFileCore());
    }

    private DslToken Current => _tokens[_index];

    private DslParseResult<TRoot> Result<TRoot>(TRoot root)
        where TRoot : DslNode
        => new(_text, root, _tokens, _reports.Select(r => r.Diagnostic).OrderBy(d => d.Span.Start).ToList());

    private DslFile ParseFileCore()
    {
        DslNamespace? ns = null;
        var declarations = new List<DslDeclaration>();
        while (Current.Kind != DslTokenKind.EndOfText)
        {
            if (Current.Is("namespace"))
            {
                if (ns is not null || declarations.Count > 0)
                {
                    Error("'layer' or 'model' (a file has one namespace, declared first)", Current);
                    ParseNamespace();
                }
                else
                {
                    ns = ParseNamespace();
                }
            }
            else if (Current.Is("layer"))
            {
                declarations.Add(ParseLayer());
            }
            else if (Current.Is("model"))
            {
                declarations.Add(ParseModel());
            }
            else
            {
                Error(ns is null && declarations.Count == 0 ? "'namespace', 'layer' or 'model'" : "'layer' or 'model'", Current);
                Advance();
                while (Current.Kind != DslTokenKind.EndOfText && !IsDeclarationKeyword(Current))
                {
                    Advance();
                }
            }
        }
        return new DslFile(_text, ns, declarations);
    }

    private DslNamespace ParseNamespace()
    {
        DslToken keyword = Advance();
        var parts = new List<DslToken> { ExpectIdentifier("a namespace name, e.g. 'namespace Demo.Layers;'") };
        while (Current.Kind == DslTokenKind.Dot)
        {
            Advance();
            parts.Add(ExpectIdentifier("a name after '.'"));
        }
        DslToken semicolon = ExpectEndOfStatement(insideBraces: false);
        return new DslNamespace(_text, keyword, parts, semicolon);
    }

    private DslLayerDeclaration ParseLayer()
    {
        int firstReport = _reports.Count;
        DslToken keyword = Advance();
        DslToken name = ExpectIdentifier("a layer name, e.g. 'layer Up : 768 -> 3072 = monarch(blocks: 16);'");
        ParseWidths(out DslNumber inWidth, out DslNumber outWidth);
        Expect(DslTokenKind.Equals, "'=' and the layer's structure");
        DslExpression expression = ParseChain(allowOutputWidth: false, out _);
        ExpectEndOfStatement(insideBraces: false);
        return new DslLayerDeclaration(_text, _previousEnd, keyword, name, inWidth, outWidth, expression, ReportsSince(firstReport, keyword.Start, _previousEnd));
    }

    private DslModelDeclaration ParseModel()
    {
        int firstReport = _reports.Count;
        DslToken keyword = Advance();
        DslToken name = ExpectIdentifier("a model name, e.g. 'model Mlp : 784 -> 10 { … }'");
        ParseWidths(out DslNumber inWidth, out DslNumber outWidth);
        Expect(DslTokenKind.OpenBrace, "'{' and the model's steps");
        var steps = new List<DslStep>();
        while (Current.Kind is not (DslTokenKind.CloseBrace or DslTokenKind.EndOfText) && !IsDeclarationKeyword(Current))
        {
            steps.Add(ParseStep());
        }
        Expect(DslTokenKind.CloseBrace, "'}'");
        return new DslModelDeclaration(_text, _previousEnd, keyword, name, inWidth, outWidth, steps, ReportsSince(firstReport, keyword.Start, _previousEnd));
    }

    private void ParseWidths(out DslNumber inWidth, out DslNumber outWidth)
    {
        Expect(DslTokenKind.Colon, "':' and the widths, e.g. ': 768 -> 768'");
        inWidth = ParseNumber("the input width (a number)");
        Expect(DslTokenKind.Arrow, "'->'");
        outWidth = ParseNumber("the output width (a number)");
    }

    private DslStep ParseStep()
    {
        int firstReport = _reports.Count;
        DslExpression expression = ParseChain(allowOutputWidth: true, out DslNumber? width);
        ExpectEndOfStatement(insideBraces: true);
        return new DslStep(_text, expression, width, _previousEnd, _reports.Count > firstReport);
    }

    /// <summary>
    /// <c>sum { -&gt; width -&gt; sum }</c>. In a model step a last <c>-&gt; width</c> not followed by a term is
    /// the step's output width (<paramref name="outputWidth"/>); elsewhere it is an error.
    /// </summary>
    private DslExpression ParseChain(bool allowOutputWidth, out DslNumber? outputWidth)
    {
        outputWidth = null;
        DslExpression first = ParseSum();
        if (Current.Kind != DslTokenKind.Arrow)
        {
            return first;
        }
        var terms = new List<DslExpression> { first };
        var widths = new List<DslNumber>();
        while (Current.Kind == DslTokenKind.Arrow)
        {
            Advance();
            DslNumber width = ParseNumber(allowOutputWidth ? "a width (a number)" : "the inner width (a number), e.g. 'a -> 256 -> b'");
            if (Current.Kind == DslTokenKind.Arrow)
            {
                Advance();
                widths.Add(width);
                terms.Add(ParseSum());
                continue;
            }
            if (width.IsMissing)
            {
                // `a -> b`: the width is forgotten (already reported); keep the term.
                if (StartsTerm(Current))
                {
                    widths.Add(width);
                    terms.Add(ParseSum());
                    continue;
                }
                break;
            }
            if (allowOutputWidth)
            {
                outputWidth = width;
                break;
            }
            Error("'->' and the next term (only a model step ends with its output width)", Current);
            break;
        }
        return terms.Count == 1 ? first : new DslChainExpression(_text, terms, widths);
    }

    private DslExpression ParseSum()
    {
        DslExpression first = ParseTerm();
        if (Current.Kind != DslTokenKind.Plus)
        {
            return first;
        }
        var terms = new List<DslExpression> { first };
        var plusTokens = new List<DslToken>();
        while (Current.Kind == DslTokenKind.Plus)
        {
            plusTokens.Add(Advance());
            terms.Add(ParseTerm());
        }
        return new DslSumExpression(_text, terms, plusTokens);
    }

    private DslExpression ParseTerm()
    {
        if (Current.Kind == DslTokenKind.Identifier && !IsDeclarationKeyword(Current))
        {
            DslToken name = Advance();
            if (Current.Kind != DslTokenKind.OpenParen)
            {
                return new DslCallExpression(_text, name, null, new DslArgument[0], null);
            }
            DslToken open = Advance();
            var arguments = new List<DslArgument>();
            if (Current.Kind != DslTokenKind.CloseParen)
            {
                while (true)
                {
                    arguments.Add(ParseArgument());
                    if (Current.Kind != DslTokenKind.Comma)
                    {
                        break;
                    }
                    Advance();
                }
            }
            DslToken close = Expect(DslTokenKind.CloseParen, "',' or ')'");
            return new DslCallExpression(_text, name, open, arguments, close);
        }
        if (Current.Kind == DslTokenKind.OpenParen)
        {
            if (_nesting >= MaxNesting)
            {
                Error($"at most {MaxNesting} nested parentheses", Current);
                return new DslMissingExpression(_text, Current.Start);
            }
            DslToken open = Advance();
            _nesting++;
            DslExpression inner = ParseChain(allowOutputWidth: false, out _);
            _nesting--;
            DslToken close = Expect(DslTokenKind.CloseParen, "')'");
            return new DslParenthesizedExpression(_text, open, inner, close);
        }
        Error(TermExpected, Current);
        return new DslMissingExpression(_text, Current.Start);
    }

    private DslArgument ParseArgument()
    {
        int start = Current.Start;
        DslToken? name = null, colon = null;
        if (Current.Kind == DslTokenKind.Identifier && PeekKind(1) == DslTokenKind.Colon)
        {
            name = Advance();
            colon = Advance();
        }
        else if (Current.Kind == DslTokenKind.Identifier && PeekKind(1) is DslTokenKind.Integer or DslTokenKind.Minus)
        {
            // `blocks 4`: the colon is forgotten.
            name = Advance();
            colon = Expect(DslTokenKind.Colon, "':'");
        }
        DslValue? value = ParseValue();
        return new DslArgument(_text, name, colon, value, start, _previousEnd);
    }

    private DslValue? ParseValue()
    {
        if (Current.Kind is DslTokenKind.Integer or DslTokenKind.Minus)
        {
            DslNumber rows = ParseNumber("a number");
            if (Current.Kind == DslTokenKind.Times || (Current.Kind == DslTokenKind.Identifier && Current.Text is "x" or "X"))
            {
                DslToken times = Advance();
                DslNumber columns = ParseNumber("the factor's input width, e.g. 32x32");
                return new DslShapeValue(_text, rows, times, columns);
            }
            return rows;
        }
        if (Current.Kind == DslTokenKind.Identifier)
        {
            return new DslWordValue(_text, Advance());
        }
        Error("a value (a number, or a shape such as 32x32)", Current);
        return null;
    }

    private DslNumber ParseNumber(string expected)
    {
        DslToken? minus = Current.Kind == DslTokenKind.Minus ? Advance() : null;
        if (Current.Kind == DslTokenKind.Integer)
        {
            return new DslNumber(_text, minus, Advance());
        }
        Error(expected, Current);
        return new DslNumber(_text, minus, Missing(DslTokenKind.Integer));
    }

    /// <summary><c>;</c>, or an error and a skip to the next <c>;</c> (consumed), <c>}</c> (in a model), declaration keyword or the end.</summary>
    private DslToken ExpectEndOfStatement(bool insideBraces)
    {
        if (Current.Kind == DslTokenKind.Semicolon)
        {
            return Advance();
        }
        Error("';'", Current);
        DslToken missing = Missing(DslTokenKind.Semicolon);
        while (Current.Kind != DslTokenKind.EndOfText && !IsDeclarationKeyword(Current)
            && !(insideBraces && Current.Kind == DslTokenKind.CloseBrace))
        {
            if (Advance().Kind == DslTokenKind.Semicolon)
            {
                break;
            }
        }
        return missing;
    }

    private DslToken Expect(DslTokenKind kind, string expected)
    {
        if (Current.Kind == kind)
        {
            return Advance();
        }
        Error(expected, Current);
        return Missing(kind);
    }

    private DslToken ExpectIdentifier(string expected)
    {
        if (Current.Kind == DslTokenKind.Identifier && !IsDeclarationKeyword(Current))
        {
            return Advance();
        }
        Error(expected, Current);
        return Missing(DslTokenKind.Identifier);
    }

    private DslToken Missing(DslTokenKind kind)
        => new(kind, string.Empty, _previousEnd, _text.Span(_previousEnd, 0), isMissing: true);

    private DslToken Advance()
    {
        DslToken token = Current;
        if (token.Kind != DslTokenKind.EndOfText)
        {
            _previousEnd = token.End;
            _index++;
            SkipBadTokens();
        }
        return token;
    }

    private DslTokenKind PeekKind(int ahead)
    {
        int i = _index;
        while (ahead > 0 && _tokens[i].Kind != DslTokenKind.EndOfText)
        {
            i++;
            if (_tokens[i].Kind != DslTokenKind.Bad)
            {
                ahead--;
            }
        }
        return _tokens[i].Kind;
    }

    /// <summary>Reports each stray character (or unterminated comment) once and steps over it.</summary>
    private void SkipBadTokens()
    {
        while (_tokens[_index].Kind == DslTokenKind.Bad)
        {
            DslToken bad = _tokens[_index];
            LanguageDiagnostic diagnostic = bad.Text.StartsWith("/*", System.StringComparison.Ordinal)
                ? LanguageDiagnostic.Create(DiagnosticCatalog.SyntaxError, _text.Span(bad.Start, 2), "'*/' to close the comment", "end of text")
                : LanguageDiagnostic.Create(DiagnosticCatalog.SyntaxError, bad.Span, "a name, a number or one of + - -> x ( ) , : ; = { } .", bad.Describe());
            _reports.Add(new Report(diagnostic, bad.Start, FromBadToken: true));
            _index++;
        }
    }

    private void Error(string expected, DslToken found)
    {
        if (found.Start <= _lastErrorAt)
        {
            return;
        }
        _lastErrorAt = found.Start;
        _reports.Add(new Report(LanguageDiagnostic.Create(DiagnosticCatalog.SyntaxError, found.Span, expected, found.Describe()), found.Start, FromBadToken: false));
    }

    /// <summary>What was reported while a declaration was parsed, less stray characters after its end.</summary>
    private IReadOnlyList<LanguageDiagnostic> ReportsSince(int firstReport, int start, int end)
    {
        var result = new List<LanguageDiagnostic>();
        for (int i = firstReport; i < _reports.Count; i++)
        {
            Report report = _reports[i];
            if (!report.FromBadToken || (report.Offset >= start && report.Offset < end))
            {
                result.Add(report.Diagnostic);
            }
        }
        return result;
    }

    private static bool StartsTerm(DslToken token)
        => (token.Kind == DslTokenKind.Identifier && !IsDeclarationKeyword(token)) || token.Kind == DslTokenKind.OpenParen;

    private static bool IsDeclarationKeyword(DslToken token)
        => token.Is("layer") || token.Is("model") || token.Is("namespace");

    private readonly record struct Report(LanguageDiagnostic Diagnostic, int Offset, bool FromBadToken);
}
