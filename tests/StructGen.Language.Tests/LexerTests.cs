using System.Linq;
using StructGen.Language.Diagnostics;
using StructGen.Language.Syntax;

namespace StructGen.Language.Tests;

public class LexerTests
{
    private static DslTokenKind[] Kinds(string text) => DslLexer.Lex(new DslText(text)).Select(t => t.Kind).ToArray();

    [Fact]
    public void Punctuation_and_words()
    {
        Assert.Equal(
            new[]
            {
                DslTokenKind.Identifier, DslTokenKind.Identifier, DslTokenKind.Colon, DslTokenKind.Integer, DslTokenKind.Arrow,
                DslTokenKind.Integer, DslTokenKind.Equals, DslTokenKind.Identifier, DslTokenKind.Plus, DslTokenKind.Identifier,
                DslTokenKind.OpenParen, DslTokenKind.Identifier, DslTokenKind.Colon, DslTokenKind.Minus, DslTokenKind.Integer,
                DslTokenKind.CloseParen, DslTokenKind.Semicolon, DslTokenKind.OpenBrace, DslTokenKind.CloseBrace, DslTokenKind.Dot,
                DslTokenKind.Comma, DslTokenKind.EndOfText,
            },
            Kinds("layer A : 8 -> 8 = dense + lowrank(r: -4); { } . ,"));
    }

    [Theory]
    [InlineData("32x32")]
    [InlineData("32X32")]
    [InlineData("32×32")]
    public void Shape_operator_between_numbers(string text)
        => Assert.Equal(new[] { DslTokenKind.Integer, DslTokenKind.Times, DslTokenKind.Integer, DslTokenKind.EndOfText }, Kinds(text));

    [Fact]
    public void An_x_not_glued_to_a_number_is_a_name()
    {
        Assert.Equal(new[] { DslTokenKind.Integer, DslTokenKind.Identifier, DslTokenKind.Integer, DslTokenKind.EndOfText }, Kinds("32 x 32"));
        Assert.Equal(new[] { DslTokenKind.Identifier, DslTokenKind.EndOfText }, Kinds("x32"));
        Assert.Equal(new[] { DslTokenKind.Integer, DslTokenKind.Identifier, DslTokenKind.EndOfText }, Kinds("32xy"));
    }

    [Fact]
    public void Unicode_arrow_and_identifiers()
    {
        Assert.Equal(new[] { DslTokenKind.Identifier, DslTokenKind.Arrow, DslTokenKind.Identifier, DslTokenKind.EndOfText }, Kinds("Größe → ñandú_2"));
    }

    [Fact]
    public void Comments_are_skipped()
    {
        var tokens = DslLexer.Lex(new DslText("dense // a comment -> 8\n/* block\n comment */ + lowrank"));
        Assert.Equal(new[] { "dense", "+", "lowrank", "" }, tokens.Select(t => t.Text).ToArray());
        Assert.Equal(2, tokens[1].Span.StartLine);
        Assert.Equal(12, tokens[1].Span.StartColumn);
    }

    [Fact]
    public void Unterminated_comment_is_a_bad_token()
    {
        var tokens = DslLexer.Lex(new DslText("dense /* never closed"));
        Assert.Equal(new[] { DslTokenKind.Identifier, DslTokenKind.Bad, DslTokenKind.EndOfText }, tokens.Select(t => t.Kind).ToArray());
        Assert.Equal(6, tokens[1].Start);
    }

    [Fact]
    public void Stray_characters_are_bad_tokens_one_each()
    {
        var tokens = DslLexer.Lex(new DslText("a § 😀 b"));
        Assert.Equal(new[] { DslTokenKind.Identifier, DslTokenKind.Bad, DslTokenKind.Bad, DslTokenKind.Identifier, DslTokenKind.EndOfText }, tokens.Select(t => t.Kind).ToArray());
        Assert.Equal(2, tokens[2].Length); // a surrogate pair stays one token
    }

    [Fact]
    public void Integers_saturate_and_flag_overflow()
    {
        var tokens = DslLexer.Lex(new DslText("9223372036854775807 9223372036854775808 2147483647"));
        Assert.Equal(long.MaxValue, tokens[0].Value);
        Assert.False(tokens[0].Overflowed);
        Assert.True(tokens[1].Overflowed);
        Assert.Equal(long.MaxValue, tokens[1].Value);
        Assert.Equal(int.MaxValue, tokens[2].Value);
    }

    [Fact]
    public void Spans_give_offsets_lines_and_columns()
    {
        const string text = "layer A\r\n  : 8\n->\r16";
        var tokens = DslLexer.Lex(new DslText(text));
        DslToken colon = tokens[2], eight = tokens[3], arrow = tokens[4], sixteen = tokens[5];
        Assert.Equal(new SourceSpan(11, 1, 1, 2, 1, 3), colon.Span);
        Assert.Equal(new SourceSpan(13, 1, 1, 4, 1, 5), eight.Span);
        Assert.Equal(new SourceSpan(15, 2, 2, 0, 2, 2), arrow.Span);
        Assert.Equal(new SourceSpan(18, 2, 3, 0, 3, 2), sixteen.Span);
        Assert.Equal(new SourceSpan(20, 0, 3, 2, 3, 2), tokens[6].Span);
    }

    [Fact]
    public void Origin_shifts_spans_into_the_enclosing_file()
    {
        // As if the text started at offset 100, line 7, column 40 of a C# file.
        var origin = new SourceSpan(100, 0, 7, 40, 7, 40);
        var tokens = DslLexer.Lex(new DslText("dense +\nlowrank", origin));
        Assert.Equal(new SourceSpan(100, 5, 7, 40, 7, 45), tokens[0].Span);
        Assert.Equal(new SourceSpan(106, 1, 7, 46, 7, 47), tokens[1].Span);
        Assert.Equal(new SourceSpan(108, 7, 8, 0, 8, 7), tokens[2].Span);
    }
}
