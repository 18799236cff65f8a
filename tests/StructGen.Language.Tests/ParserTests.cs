using System.Linq;
using StructGen.Language.Diagnostics;
using StructGen.Language.Syntax;

namespace StructGen.Language.Tests;

public class ParserTests
{
    private static DslExpression Expression(string text)
    {
        DslParseResult<DslExpression> result = DslParser.ParseExpression(text);
        Assert.True(result.Diagnostics.Count == 0, TextMarks.Describe(result.Diagnostics));
        return result.Root;
    }

    [Fact]
    public void Plus_binds_tighter_than_arrow()
    {
        var chain = Assert.IsType<DslChainExpression>(Expression("dense + lowrank(r: 8) -> 256 -> monarch(blocks: 4) + blast"));
        Assert.Equal(2, chain.Terms.Count);
        Assert.IsType<DslSumExpression>(chain.Terms[0]);
        Assert.IsType<DslSumExpression>(chain.Terms[1]);
        Assert.Equal("256", Assert.Single(chain.Widths).Text);
    }

    [Fact]
    public void Parentheses_group_a_chain_inside_a_sum()
    {
        var sum = Assert.IsType<DslSumExpression>(Expression("(dense -> 64 -> dense) + lowrank(r: 4)"));
        var group = Assert.IsType<DslParenthesizedExpression>(sum.Terms[0]);
        Assert.IsType<DslChainExpression>(group.Inner);
        Assert.Equal("(dense -> 64 -> dense)", group.WrittenText);
    }

    [Fact]
    public void Long_chains_keep_every_width()
    {
        var chain = Assert.IsType<DslChainExpression>(Expression("a -> 1 -> b -> 2 -> c -> 3 -> d"));
        Assert.Equal(new[] { "a", "b", "c", "d" }, chain.Terms.Cast<DslCallExpression>().Select(c => c.Name.Text).ToArray());
        Assert.Equal(new[] { 1L, 2, 3 }, chain.Widths.Select(w => w.Value).ToArray());
    }

    [Fact]
    public void Calls_with_named_and_shape_arguments()
    {
        var call = Assert.IsType<DslCallExpression>(Expression("kronecker(32x16, 4×2)"));
        Assert.Equal(2, call.Arguments.Count);
        var first = Assert.IsType<DslShapeValue>(call.Arguments[0].Value);
        Assert.Equal(32, first.Rows.Value);
        Assert.Equal(16, first.Columns.Value);
        Assert.False(call.Arguments[0].IsNamed);

        var blast = Assert.IsType<DslCallExpression>(Expression("blast(rows: 4, columns: -2, r: 16)"));
        Assert.Equal(new[] { "rows", "columns", "r" }, blast.Arguments.Select(a => a.Name!.Text).ToArray());
        Assert.Equal(-2, Assert.IsType<DslNumber>(blast.Arguments[1].Value).Value);
        Assert.Equal("columns: -2", blast.Arguments[1].WrittenText);
    }

    [Fact]
    public void Spaced_x_makes_a_shape()
    {
        var call = Assert.IsType<DslCallExpression>(Expression("kronecker(32 x 16, 4 X 2)"));
        Assert.All(call.Arguments, a => Assert.IsType<DslShapeValue>(a.Value));
    }

    [Fact]
    public void Bare_and_empty_calls()
    {
        var bare = Assert.IsType<DslCallExpression>(Expression("kronecker"));
        Assert.False(bare.HasArgumentList);
        var empty = Assert.IsType<DslCallExpression>(Expression("kronecker()"));
        Assert.True(empty.HasArgumentList);
        Assert.Empty(empty.Arguments);
    }

    [Fact]
    public void Node_spans_are_exact()
    {
        const string text = "dense + lowrank(r: 8)";
        var sum = Assert.IsType<DslSumExpression>(DslParser.ParseExpression(text).Root);
        Assert.Equal(new SourceSpan(0, 21, 0, 0, 0, 21), sum.Span);
        Assert.Equal(new SourceSpan(8, 13, 0, 8, 0, 21), sum.Terms[1].Span);
        var call = (DslCallExpression)sum.Terms[1];
        Assert.Equal(new SourceSpan(16, 4, 0, 16, 0, 20), call.Arguments[0].Span);
        Assert.Equal(new SourceSpan(19, 1, 0, 19, 0, 20), call.Arguments[0].Value!.Span);
    }

    [Fact]
    public void A_file_with_namespace_layers_and_models()
    {
        const string text = """
            namespace Demo.Layers;
            // the usual suspects
            layer FfnUp   : 1024 -> 4096 = monarch(blocks: 16);
            layer Adapter : 768 -> 768   = dense + lowrank(r: 8);
            model Mlp     : 784 -> 10    { monarch(blocks: 28) -> 784; gelu; lowrank(r: 8) -> 10; FfnUp; }
            """;
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        Assert.Empty(result.Diagnostics);
        DslFile file = result.Root;
        Assert.Equal("Demo.Layers", file.Namespace!.Name);
        Assert.Equal(3, file.Declarations.Count);
        var up = Assert.IsType<DslLayerDeclaration>(file.Declarations[0]);
        Assert.Equal("FfnUp", up.Name.Text);
        Assert.Equal(1024, up.In.Value);
        Assert.Equal(4096, up.Out.Value);
        Assert.Equal(new SourceSpan(TextMarks.OffsetOf(text, "layer FfnUp"), "layer FfnUp   : 1024 -> 4096 = monarch(blocks: 16);".Length, 2, 0, 2, 51), up.Span);
        var mlp = Assert.IsType<DslModelDeclaration>(file.Declarations[2]);
        Assert.Equal(4, mlp.Steps.Count);
        Assert.Equal(784, mlp.Steps[0].Width!.Value);
        Assert.Null(mlp.Steps[1].Width);
        Assert.Equal("gelu", ((DslCallExpression)mlp.Steps[1].Expression).Name.Text);
        Assert.Equal("FfnUp;", mlp.Steps[3].WrittenText);
        Assert.Equal(4, mlp.Name.Span.StartLine);
    }

    [Fact]
    public void A_file_without_namespace()
    {
        DslParseResult<DslFile> result = DslParser.ParseFile("layer A : 8 -> 8 = dense;");
        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Root.Namespace);
        Assert.Single(result.Root.Declarations);
    }

    [Fact]
    public void Syntax_error_names_what_was_expected_and_what_was_found()
    {
        const string text = "layer A : 8 -> 8 = dense + ;";
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        LanguageDiagnostic d = TextMarks.Single(result.Diagnostics, "SG0001", text, ";", 0);
        Assert.Contains("expected a structure", d.Message);
        Assert.Contains("but found ';'", d.Message);
    }

    [Fact]
    public void Several_errors_from_one_file_and_the_parser_goes_on()
    {
        const string text = """
            namespace A.B;
            layer One : 8 -> 8 = dense +;
            layer Two : 8 8 = dense;
            layer Three : 8 -> 8 = monarch(blocks 2) ];
            model M : 8 -> 8 { dense -> 8; relu; lowrank(r: ) -> 8; }
            layer Fine : 8 -> 8 = dense;
            """;
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        Assert.Equal(5, result.Root.Declarations.Count);
        Assert.Equal(new[] { "One", "Two", "Three", "M", "Fine" }, result.Root.Declarations.Select(d => d.Name.Text).ToArray());
        Assert.All(result.Diagnostics, d => Assert.Equal("SG0001", d.Id));
        int[] lines = result.Diagnostics.Select(d => d.Span.StartLine).ToArray();
        Assert.Equal(new[] { 1, 2, 3, 3, 4 }, lines);
        Assert.Empty(result.Root.Declarations[4].SyntaxDiagnostics);
        Assert.Single(result.Root.Declarations[0].SyntaxDiagnostics);
        Assert.Equal(3, ((DslModelDeclaration)result.Root.Declarations[3]).Steps.Count);
    }

    [Fact]
    public void Missing_semicolon_before_the_next_declaration_does_not_swallow_it()
    {
        const string text = "layer A : 8 -> 8 = dense\nlayer B : 8 -> 8 = \nlayer C : 8 -> 8 = dense;";
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        Assert.Equal(new[] { "A", "B", "C" }, result.Root.Declarations.Select(d => d.Name.Text).ToArray());
        Assert.Equal(2, result.Diagnostics.Count);
        Assert.Empty(result.Root.Declarations[2].SyntaxDiagnostics);
    }

    [Fact]
    public void Missing_tokens_are_inserted_zero_width()
    {
        const string text = "layer A 8 -> 8 = dense;";
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        LanguageDiagnostic d = TextMarks.Single(result.Diagnostics, "SG0001", text, "8");
        Assert.Contains("':'", d.Message);
        var layer = (DslLayerDeclaration)result.Root.Declarations[0];
        Assert.Equal(8, layer.In.Value);
        Assert.IsType<DslCallExpression>(layer.Expression);
    }

    [Fact]
    public void Errors_at_the_end_point_at_the_end()
    {
        const string text = "dense +";
        DslParseResult<DslExpression> result = DslParser.ParseExpression(text);
        LanguageDiagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(new SourceSpan(7, 0, 0, 7, 0, 7), d.Span);
        Assert.Contains("end of text", d.Message);
    }

    [Fact]
    public void Trailing_width_is_a_model_step_thing()
    {
        Assert.Contains(DslParser.ParseExpression("dense -> 256").Diagnostics, d => d.Message.Contains("only a model step"));
        DslParseResult<DslFile> model = DslParser.ParseFile("model M : 8 -> 4 { dense -> 16 -> dense -> 4; }");
        Assert.Empty(model.Diagnostics);
        DslStep step = ((DslModelDeclaration)model.Root.Declarations[0]).Steps[0];
        Assert.Equal(4, step.Width!.Value);
        Assert.IsType<DslChainExpression>(step.Expression);
    }

    [Fact]
    public void Forgotten_inner_width_keeps_the_next_term()
    {
        const string text = "dense -> lowrank(r: 2)";
        DslParseResult<DslExpression> result = DslParser.ParseExpression(text);
        TextMarks.Single(result.Diagnostics, "SG0001", text, "lowrank");
        var chain = Assert.IsType<DslChainExpression>(result.Root);
        Assert.True(chain.Widths[0].IsMissing);
        Assert.Equal("lowrank", ((DslCallExpression)chain.Terms[1]).Name.Text);
    }

    [Fact]
    public void Stray_characters_and_unclosed_comments_are_reported()
    {
        const string text = "layer A : 8 -> 8 = dense § + lowrank(r: 2); /* open";
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        Assert.Equal(2, result.Diagnostics.Count);
        TextMarks.Single(result.Diagnostics.Take(1), "SG0001", text, "§");
        Assert.Contains("'*/'", result.Diagnostics[1].Message);
        Assert.Equal(TextMarks.OffsetOf(text, "/*"), result.Diagnostics[1].Span.Start);
        // The stray character inside A is A's; the comment after it is the file's.
        Assert.Single(result.Root.Declarations[0].SyntaxDiagnostics);
    }

    [Fact]
    public void Nesting_is_bounded()
    {
        string deep = new string('(', 10_000) + "dense" + new string(')', 10_000);
        DslParseResult<DslExpression> result = DslParser.ParseExpression(deep);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains($"at most {DslParser.MaxNesting} nested parentheses"));

        string fine = new string('(', DslParser.MaxNesting) + "dense" + new string(')', DslParser.MaxNesting);
        Assert.Empty(DslParser.ParseExpression(fine).Diagnostics);
    }

    [Fact]
    public void One_error_per_position()
    {
        // `layer ;` misses a name, a colon, widths and an expression, all at the same token: one error.
        DslParseResult<DslFile> result = DslParser.ParseFile("layer ;");
        Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void Second_namespace_is_an_error()
    {
        const string text = "namespace A; layer X : 1 -> 1 = dense; namespace B;";
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        TextMarks.Single(result.Diagnostics, "SG0001", text, "namespace", 1);
        Assert.Equal("A", result.Root.Namespace!.Name);
    }

    [Fact]
    public void Garbage_between_declarations_is_skipped_with_one_error()
    {
        const string text = "layer A : 1 -> 1 = dense; 1 2 3 + + ; layer B : 1 -> 1 = dense;";
        DslParseResult<DslFile> result = DslParser.ParseFile(text);
        LanguageDiagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(TextMarks.OffsetOf(text, "1 2 3"), d.Span.Start);
        Assert.Equal(2, result.Root.Declarations.Count);
    }
}
