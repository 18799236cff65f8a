using System.Collections.Generic;
using System.Linq;
using StructGen.Language.Binding;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Tests;

/// <summary>Every diagnostic the DSL can produce, each on the exact token at fault, with a message that says what to do.</summary>
public class DslDiagnosticTests
{
    /// <summary>(id, DSL text, the token the diagnostic must cover, which occurrence of it, words the message must contain). Files start with "file:"; expressions bind as 768 → 768 unless "[In->Out]" follows.</summary>
    public static IEnumerable<object[]> Cases => new[]
    {
        Case("SG0001", "file:layer A : 8 -> 8 = dense +;", ";", 0, "expected a structure", "found ';'"),
        Case("SG0001", "file:layer A : 8 -> 8 = lowrank(r: 2) lowrank;", "lowrank", 1, "expected ';'"),
        Case("SG0001", "dense -> 256", "", 0, "only a model step"),
        Case("SG0002", "monarh(blocks: 4)", "monarh", 0, "did you mean 'monarch'"),
        Case("SG0002", "dense -> 64 -> gelu", "gelu", 0, "activation"),
        Case("SG0002", "file:layer Up : 8 -> 8 = dense; layer B : 8 -> 8 = Upp;", "Upp", 0, "did you mean 'Up'"),
        Case("SG0003", "monarch(block: 4)", "block", 0, "did you mean 'blocks'"),
        Case("SG0003", "blast(row: 4, r: 8)", "row", 0, "did you mean 'rows'"),
        Case("SG0003", "monarch(4)", "4", 0, "arguments are named", "monarch(blocks: 4)"),
        Case("SG0003", "dense(r: 4)", "r", 0, "dense takes no arguments"),
        Case("SG0003", "kronecker(32x32, 32x32, 2x2)[1024->1024]", "2x2", 0, "two factor shapes"),
        Case("SG0003", "lowrank(r: 8, alpha: 16)", "alpha", 0, "adapter"),
        Case("SG0003", "file:layer Up : 8 -> 8 = dense; layer B : 8 -> 8 = Up(r: 2);", "r: 2", 0, "takes no arguments"),
        Case("SG0004", "lowrank", "lowrank", 0, "'r'", "lowrank(r: 64)"),
        Case("SG0004", "monarch()", "monarch()", 0, "'blocks'", "monarch(blocks: 16)"),
        Case("SG0004", "file:model M : 8 -> 8 { dense; }", "dense", 0, "output width of step 1", "dense -> 256;"),
        Case("SG0004", "file:model M : 8 -> 8 { dense + lowrank(r: 2); }", "dense + lowrank(r: 2)", 0, "output width of step 1"),
        Case("SG0004", "file:model M : 8 -> 8 { }", "M", 0, "steps of model 'M'"),
        Case("SG0005", "monarch(blocks: 0)", "0", 0, "'blocks'", "positive"),
        Case("SG0005", "blast(rows: -2)", "-2", 0, "'RowBlocks'", "-2"),
        Case("SG0005", "file:layer A : 0 -> 8 = dense;", "0", 0, "'In'"),
        Case("SG0005", "dense -> -4 -> dense", "-4", 0, "'width'"),
        Case("SG0005", "dense + lowrank(r: 8, alpha: 0)", "0", 0, "'alpha'"),
        Case("SG0005", "kronecker(0x32, 32x32)[1024->1024]", "0", 0, "'Out1'"),
        Case("SG0006", "blast(blocks: 5)[768->770]", "5", 0, "blocks = 5 does not divide In = 768"),
        Case("SG0006", "monarch(blocks: 16)[8->8]", "16", 0, "cannot exceed"),
        Case("SG0007", "monarch(blocks: 5)[768->770]", "5", 0, "zero-padded to 770"),
        Case("SG0008", "lowrank(r: 1000)", "1000", 0, "min(In, Out) = 768"),
        Case("SG0008", "blast(blocks: 4, r: 999)", "999", 0, "r = 999"),
        Case("SG0009", "kronecker(32x32, 32x32)[768->1024]", "32", 3, "In1·In2 = 32·32 = 1024 but In = 768", "In2 = 768/In1 = 24"),
        Case("SG0009", "kronecker(5x32)[1024->1024]", "5", 0, "Out1 = 5 does not divide Out = 1024"),
        Case("SG0010", "file:layer Up : 8 -> 32 = dense; layer S : 8 -> 8 = dense + Up;", "Up", 1, "8 -> 8 (the sum)", "8 -> 32 ('Up')"),
        Case("SG0011", "file:layer Up : 8 -> 32 = dense; layer L : 8 -> 8 = Up -> 16 -> dense;", "16", 0, "'-> 16'", "gives 32", "expects 16"),
        Case("SG0011", "file:layer Up : 8 -> 32 = dense; layer L : 16 -> 32 = Up;", "Up", 1, "'Up'", "gives 16", "expects 8"),
        Case("SG0011", "file:layer Up : 8 -> 32 = dense; layer L : 8 -> 8 = Up;", "Up", 1, "output of layer 'L'", "gives 32", "expects 8"),
        Case("SG0011", "file:layer Up : 8 -> 32 = dense; model M : 8 -> 32 { Up; relu; Up; }", "Up", 2, "step 3 ('Up')", "gives 32", "expects 8"),
        Case("SG0011", "file:model M : 8 -> 10 { dense -> 12; }", "12", 0, "end of model 'M'", "gives 12", "expects 10"),
        Case("SG0011", "file:layer Up : 8 -> 32 = dense; model M : 8 -> 16 { Up -> 16; }", "16", 1, "'-> 16' (step 1)", "gives 32", "expects 16"),
        Case("SG0012", "file:layer A : 1 -> 1 = dense; model A : 1 -> 1 { relu; }", "A", 1, "'A' is declared more than once"),
        Case("SG0016", "blockdiag(blocks: 1)", "blockdiag(blocks: 1)", 0, "at least as many as dense"),
        Case("SG0016", "lowrank(r: 6) + lowrank(r: 6)[16->16]", "lowrank(r: 6) + lowrank(r: 6)", 0, "384 weights", "(256)"),
        Case("SG0017", "monarch(blocks: 99999999999999999999)", "99999999999999999999", 0, "blocks = 99999999999999999999"),
        Case("SG0017", "monarch(blocks: 3000000000)", "3000000000", 0, "blocks = 3000000000"),
        Case("SG0017", "file:layer A : 8 -> 2147483648 = dense;", "2147483648", 0, "Out = 2147483648"),
        Case("SG0017", "file:layer A : 100000 -> 100000 = dense -> 8 -> dense;", "dense -> 8 -> dense", 0, "In·Out = 10000000000"),
        Case("SG0019", "monarch(blocks: four)", "four", 0, "'blocks' must be an integer constant but is four"),
        Case("SG0019", "monarch(blocks: 2x2)", "2x2", 0, "but is 2x2"),
        Case("SG0019", "kronecker(32x32, 7)[1024->1024]", "7", 0, "'factor 2' must be a shape"),
        Case("SG0019", "dense + lowrank(r: 8, alpha: true)", "true", 0, "'alpha' must be an integer"),
        Case("SG0023", "file:model M : 8 -> 8 { rleu; }", "rleu", 0, "did you mean 'relu'"),
        Case("SG0023", "file:layer Up : 8 -> 8 = dense; model M : 8 -> 8 { Uq; }", "Uq", 0, "did you mean 'Up'"),
        Case("SG0024", "file:layer dense : 8 -> 8 = lowrank(r: 2);", "dense", 0, "a structure of the DSL"),
        Case("SG0024", "file:model gelu : 8 -> 8 { relu; }", "gelu", 0, "an activation"),
        Case("SG0024", "file:layer class : 8 -> 8 = dense;", "class", 0, "a C# keyword"),
        Case("SG0024", "file:namespace A.int; layer B : 8 -> 8 = dense;", "int", 0, "a C# keyword"),
        Case("SG0025", "file:layer A : 8 -> 8 = dense + A;", "A", 1, "Layer 'A' contains itself (A -> A)"),
        Case("SG0026", "monarch(blocks: 2, blocks: 4)", "blocks", 1, "'blocks' is given more than once"),
        Case("SG0027", "file:layer A : 8 -> 8 = lowrank(r: 99); layer B : 8 -> 8 = A -> 4 -> dense;", "A", 1, "'B' uses layer 'A'"),
        Case("SG0027", "file:layer A : 8 -> 8 = lowrank(r: 99); model M : 8 -> 8 { A; }", "A", 1, "'M' uses layer 'A'"),
    };

    private static object[] Case(string id, string text, string token, int occurrence, params string[] words)
        => new object[] { id, text, token, occurrence, words };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostic_is_on_the_token_at_fault(string id, string text, string token, int occurrence, string[] words)
    {
        (IReadOnlyList<LanguageDiagnostic> diagnostics, string source, bool failed) = Run(text);
        LanguageDiagnostic d = token.Length == 0
            ? Assert.Single(diagnostics, x => x.Id == id)
            : TextMarks.Single(diagnostics, id, source, token, occurrence);
        if (token.Length == 0)
        {
            Assert.Equal(source.Length, d.Span.Start); // at the end of the text
        }
        foreach (string word in words)
        {
            Assert.Contains(word, d.Message);
        }
        Assert.Equal(d.Descriptor.Severity == DiagnosticSeverityLevel.Error, failed);
    }

    [Fact]
    public void Every_id_the_language_can_produce_is_covered()
    {
        // SG0013-15, SG0018, SG0020 and SG0022 are about C# declarations and call sites (generator, analyzers);
        // SG0021 is the safety net for a bug, and never expected.
        string[] notFromTheLanguage = { "SG0013", "SG0014", "SG0015", "SG0018", "SG0020", "SG0021", "SG0022" };
        var covered = Cases.Select(c => (string)c[0]).ToHashSet();
        var expected = DiagnosticCatalog.All.Select(d => d.Id).Except(notFromTheLanguage);
        Assert.Empty(expected.Except(covered));
    }

    /// <summary>Binds a case; <c>failed</c> is whether the declaration at fault got no spec.</summary>
    private static (IReadOnlyList<LanguageDiagnostic> Diagnostics, string Source, bool Failed) Run(string text)
    {
        if (text.StartsWith("file:", System.StringComparison.Ordinal))
        {
            string source = text.Substring(5);
            BoundFile file = DslBinder.BindFile(source);
            return (file.Diagnostics, source, file.Declarations.Any(d => d is BoundLayerDeclaration { Spec: null } or BoundModelDeclaration { Spec: null }));
        }
        int inFeatures = 768, outFeatures = 768;
        int bracket = text.IndexOf('[');
        string expression = text;
        if (bracket >= 0 && text.EndsWith("]", System.StringComparison.Ordinal))
        {
            string[] sizes = text.Substring(bracket + 1, text.Length - bracket - 2).Split(new[] { "->" }, System.StringSplitOptions.None);
            inFeatures = int.Parse(sizes[0], System.Globalization.CultureInfo.InvariantCulture);
            outFeatures = int.Parse(sizes[1], System.Globalization.CultureInfo.InvariantCulture);
            expression = text.Substring(0, bracket);
        }
        BoundLayer bound = DslBinder.BindExpression(expression, inFeatures, outFeatures);
        return (bound.Diagnostics, expression, bound.Spec is null);
    }
}
