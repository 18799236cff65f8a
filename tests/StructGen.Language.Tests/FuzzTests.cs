using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using StructGen.Language.Binding;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;
using StructGen.Language.Syntax;
using Xunit.Abstractions;

namespace StructGen.Language.Tests;

/// <summary>
/// Seeded fuzzing of the whole language (parser and binders): random token soup, mutations of valid
/// files and expressions (deletions, insertions, swaps, huge numbers, int.MaxValue, unicode) and random
/// well-formed expressions. Whatever the input, nothing throws (the binders' safety net, SG0021, never
/// fires), every span lies inside the text, every message formats, and the answer is a spec or at
/// least one diagnostic; a declaration without a spec always has an error, and a spec always describes
/// itself as DSL text that binds back to the same spec.
/// </summary>
public class FuzzTests
{
    private const int SoupInputs = 7_000;
    private const int MutatedFileInputs = 5_000;
    private const int MutatedExpressionInputs = 4_000;
    private const int GeneratedExpressionInputs = 5_000;

    private static readonly string[] s_validFiles =
    {
        """
        namespace Demo.Layers;
        layer FfnUp   : 1024 -> 4096 = monarch(blocks: 16);
        layer Adapter : 768 -> 768   = dense + lowrank(r: 8);
        model Mlp     : 784 -> 10    { monarch(blocks: 28) -> 784; gelu; lowrank(r: 8) -> 10; }
        """,
        """
        namespace A.B;
        // layers that use layers
        layer Ffn  : 768 -> 768 = Up -> 3072 -> Down;
        layer Up   : 768 -> 3072 = monarch(blocks: 16);
        layer Down : 3072 -> 768 = lowrank(r: 16) -> 64 -> dense;
        layer Res  : 768 -> 768 = Ffn + dense;
        """,
        """
        namespace M;
        layer Up   : 64 -> 256 = monarch(blocks: 4);
        layer Down : 256 -> 64 = lowrank(r: 16);
        model Block : 64 -> 10 { Up; gelu; Down; relu; Up -> 256 -> Down; dense + lowrank(r: 4) -> 10; sigmoid; }
        """,
        """
        /* shapes */ namespace Shapes;
        layer K : 1024 -> 2048 = kronecker(64x32, 32×32);
        layer B : 1024 -> 512  = blast(rows: 4, columns: 2, r: 16) -> 64 -> blockdiag(blocks: 8);
        layer L : 64 -> 64     = (lowrank(r: 2) -> 16 -> dense) + lowrank(r: 4) + (dense + lowrank(r: 1, alpha: 4));
        model T : 1024 -> 512  { K -> 2048 -> blockdiag(blocks: 4) -> 1024; tanh; B; }
        """,
    };

    private static readonly (string Text, int In, int Out)[] s_validExpressions =
    {
        ("dense + lowrank(r: 8)", 768, 768),
        ("monarch(blocks: 4) -> 256 -> lowrank(r: 8)", 1024, 512),
        ("kronecker(32x32, 32×32)", 1024, 1024),
        ("blast(rows: 4, columns: 2, r: 16) -> 64 -> blockdiag(blocks: 8)", 1024, 512),
        ("(lowrank(r: 2) -> 16 -> dense) + lowrank(r: 4)", 64, 64),
        ("dense + lowrank(r: 8, alpha: 16) -> 32 -> kronecker(4x8, 2x4)", 64, 8),
    };

    private static readonly string[] s_words =
    {
        "dense", "lowrank", "monarch", "kronecker", "blast", "blockdiag", "relu", "gelu", "tanh", "sigmoid",
        "layer", "model", "namespace", "r", "alpha", "blocks", "rows", "columns", "x", "X", "true", "false",
        "Up", "Down", "A", "B", "Ffn", "Mlp", "class", "Monarch", "monarh", "Größe", "ñ", "_", "a1",
    };

    private static readonly string[] s_symbols =
    {
        "+", "-", "->", "→", "×", ":", ";", ",", ".", "=", "(", ")", "{", "}", "//", "/*", "*/", "\n", "\r\n", " ", "\t",
    };

    private static readonly string[] s_numbers =
    {
        "0", "1", "2", "3", "4", "8", "16", "32", "64", "100", "768", "1024", "4096", "-1", "-8",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "99999999999999999999999", "32x32", "4×4",
    };

    private static readonly string[] s_oddities =
    {
        "§", "😀", "\u0000", "\u0007", "\uD800", "\uDC00", "\u200B", "\uFEFF", "\u2028", "\u0085", "\"", "'", "@", "#", "$", "%", "^", "&", "*", "[", "]", "\\", "|", "~", "`", "?", "!", "<", ">",
        "λ", "中文", "Ω", "١٢٣",
    };

    private static readonly int[] s_widths = { 1, 2, 3, 4, 8, 16, 17, 32, 64, 100, 128, 256, 768, 1024 };

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Token_soup()
    {
        var random = new Random(20240601);
        Run("token soup", SoupInputs, () =>
        {
            string text = Soup(random, random.Next(0, 40));
            if (random.Next(2) == 0)
            {
                CheckFile(text);
            }
            else
            {
                CheckExpression(text, Pick(random, s_widths), Pick(random, s_widths));
            }
        });
    }

    [Fact]
    public void Mutated_files()
    {
        var random = new Random(7);
        Run("mutated files", MutatedFileInputs, () => CheckFile(Mutate(random, Pick(random, s_validFiles))));
    }

    [Fact]
    public void Mutated_expressions()
    {
        var random = new Random(11);
        Run("mutated expressions", MutatedExpressionInputs, () =>
        {
            (string text, int inFeatures, int outFeatures) = Pick(random, s_validExpressions);
            CheckExpression(Mutate(random, text), inFeatures, outFeatures);
        });
    }

    [Fact]
    public void Generated_expressions()
    {
        var random = new Random(3);
        int bound = 0;
        Run("generated expressions", GeneratedExpressionInputs, () =>
        {
            string text = Expression(random, depth: 0);
            if (CheckExpression(text, Pick(random, s_widths), Pick(random, s_widths)))
            {
                bound++;
            }
        });
        // The generator is meant to reach the binder's successful paths, not only its errors.
        Assert.True(bound > GeneratedExpressionInputs / 10, $"only {bound} generated expressions bound");
    }

    [Fact]
    public void Valid_corpus_is_valid()
    {
        foreach (string file in s_validFiles)
        {
            BoundFile bound = DslBinder.BindFile(file);
            Assert.True(!bound.HasErrors, TextMarks.Describe(bound.Diagnostics));
        }
        foreach ((string text, int inFeatures, int outFeatures) in s_validExpressions)
        {
            Assert.NotNull(DslBinder.BindExpression(text, inFeatures, outFeatures).Spec);
        }
    }

    private void Run(string name, int count, Action one)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            one();
        }
        _output.WriteLine($"{name}: {count} inputs in {watch.ElapsedMilliseconds} ms");
    }

    private static void CheckFile(string text)
    {
        BoundFile file;
        try
        {
            file = DslBinder.BindFile(text);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"BindFile threw {ex} for input:\n{Escape(text)}");
        }
        CheckDiagnostics(file.Diagnostics, text);
        // Silence is right only for a file that declares nothing (empty, comments, a namespace alone).
        bool anySpec = file.Declarations.Any(d => SpecOf(d) is not null);
        Assert.True(anySpec || file.Diagnostics.Count > 0 || DslParser.ParseFile(text).Root.Declarations.Count == 0, "no spec and no diagnostic for:\n" + Escape(text));
        foreach (BoundDeclaration declaration in file.Declarations)
        {
            object? spec = SpecOf(declaration);
            Assert.True(spec is not null || file.HasErrors, $"'{declaration.Name}' has no spec and the file no error:\n{Escape(text)}");
            Assert.True(!declaration.HasErrors || spec is null, $"'{declaration.Name}' has errors and a spec:\n{Escape(text)}");
            Assert.All(declaration.Diagnostics, d => Assert.Contains(d, file.Diagnostics));
            if (spec is ModelSpec model)
            {
                Assert.Equal(model.In, model.Steps[0].In);
                Assert.Equal(model.Out, model.Steps[model.Steps.Count - 1].Out);
                for (int i = 1; i < model.Steps.Count; i++)
                {
                    Assert.Equal(model.Steps[i - 1].Out, model.Steps[i].In);
                }
            }
            else if (spec is LayerSpec layer)
            {
                CheckRoundTrip(layer, text);
            }
        }
    }

    /// <summary>Returns whether the expression bound to a spec.</summary>
    private static bool CheckExpression(string text, int inFeatures, int outFeatures)
    {
        BoundLayer bound;
        try
        {
            bound = DslBinder.BindExpression(text, inFeatures, outFeatures);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"BindExpression threw {ex} for input:\n{Escape(text)}");
        }
        CheckDiagnostics(bound.Diagnostics, text);
        Assert.True(bound.Spec is not null || bound.HasErrors, $"no spec and no error for [{inFeatures} -> {outFeatures}]:\n{Escape(text)}");
        if (bound.Spec is null)
        {
            return false;
        }
        Assert.Equal(inFeatures, bound.Spec.In);
        Assert.Equal(outFeatures, bound.Spec.Out);
        CheckRoundTrip(bound.Spec, text);
        return true;
    }

    private static void CheckRoundTrip(LayerSpec spec, string source)
    {
        string described = spec.Describe();
        BoundLayer again = DslBinder.BindExpression(described, spec.In, spec.Out);
        Assert.True(spec.Equals(again.Spec), $"'{described}' does not bind back to itself (from:\n{Escape(source)}\n): {TextMarks.Describe(again.Diagnostics)}");
        Assert.All(spec.Tensors, t => Assert.True(t.Length > 0));
    }

    private static void CheckDiagnostics(IEnumerable<LanguageDiagnostic> diagnostics, string text)
    {
        foreach (LanguageDiagnostic d in diagnostics)
        {
            Assert.True(d.Id != DiagnosticCatalog.InternalError.Id, $"{d} for input:\n{Escape(text)}");
            Assert.InRange(d.Span.Start, 0, text.Length);
            Assert.InRange(d.Span.End, d.Span.Start, text.Length);
            Assert.True(d.Span.StartLine >= 0 && d.Span.StartColumn >= 0 && d.Span.EndLine >= d.Span.StartLine, d.ToString());
            Assert.False(string.IsNullOrEmpty(d.Message)); // formats: every placeholder has its argument
        }
    }

    private static object? SpecOf(BoundDeclaration declaration) => declaration switch
    {
        BoundLayerDeclaration layer => layer.Spec,
        BoundModelDeclaration model => model.Spec,
        _ => null,
    };

    private static string Soup(Random random, int tokens)
    {
        var text = new StringBuilder();
        for (int i = 0; i < tokens; i++)
        {
            text.Append(random.Next(10) switch
            {
                < 3 => Pick(random, s_words),
                < 6 => Pick(random, s_symbols),
                < 8 => Pick(random, s_numbers),
                8 => Pick(random, s_oddities),
                _ => ((char)random.Next(0, 0x3000)).ToString(),
            });
            if (random.Next(3) > 0)
            {
                text.Append(' ');
            }
        }
        return text.ToString();
    }

    private static string Mutate(Random random, string text)
    {
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations; m++)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(8))
            {
                case 0: // delete a stretch
                    text = text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at));
                    break;
                case 1: // insert a token
                    text = text.Insert(at, Pick(random, random.Next(2) == 0 ? s_words : s_symbols));
                    break;
                case 2: // insert something odd
                    text = text.Insert(at, Pick(random, s_oddities));
                    break;
                case 3: // swap two stretches
                {
                    int a = random.Next(text.Length + 1), b = random.Next(text.Length + 1);
                    int first = Math.Min(a, b), second = Math.Max(a, b);
                    int length = Math.Min(random.Next(1, 10), Math.Min(second - first, text.Length - second));
                    if (length > 0)
                    {
                        string x = text.Substring(first, length), y = text.Substring(second, length);
                        text = text.Substring(0, first) + y + text.Substring(first + length, second - first - length) + x + text.Substring(second + length);
                    }
                    break;
                }
                case 4: // replace a number by an extreme one
                    text = ReplaceNumber(random, text, Pick(random, new[] { "0", "-1", "2147483647", "2147483648", "99999999999999999999999", "1", "3", "7" }));
                    break;
                case 5: // duplicate a stretch
                {
                    int length = Math.Min(random.Next(1, 30), text.Length - at);
                    text = text.Insert(at, text.Substring(at, length));
                    break;
                }
                case 6: // replace a word by another
                    text = ReplaceWord(random, text, Pick(random, s_words));
                    break;
                default: // replace one character by a random one
                    if (text.Length > 0)
                    {
                        int i = random.Next(text.Length);
                        text = text.Substring(0, i) + (char)random.Next(0x20, 0x2100) + text.Substring(i + 1);
                    }
                    break;
            }
        }
        return text;
    }

    private static string ReplaceNumber(Random random, string text, string number)
    {
        var starts = new List<int>();
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsDigit(text[i]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1])))
            {
                starts.Add(i);
            }
        }
        if (starts.Count == 0)
        {
            return text;
        }
        int start = starts[random.Next(starts.Count)], end = start;
        while (end < text.Length && char.IsDigit(text[end]))
        {
            end++;
        }
        return text.Substring(0, start) + number + text.Substring(end);
    }

    private static string ReplaceWord(Random random, string text, string word)
    {
        var starts = new List<int>();
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsLetter(text[i]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1])))
            {
                starts.Add(i);
            }
        }
        if (starts.Count == 0)
        {
            return text;
        }
        int start = starts[random.Next(starts.Count)], end = start;
        while (end < text.Length && char.IsLetterOrDigit(text[end]))
        {
            end++;
        }
        return text.Substring(0, start) + word + text.Substring(end);
    }

    /// <summary>A random well-formed expression (arguments mostly sensible, sometimes not).</summary>
    private static string Expression(Random random, int depth)
    {
        int choice = depth >= 3 ? 0 : random.Next(10);
        if (choice < 5)
        {
            return Primitive(random);
        }
        if (choice < 7)
        {
            int terms = random.Next(2, 4);
            return string.Join(" + ", Enumerable.Range(0, terms).Select(_ => Operand(random, depth)));
        }
        if (choice < 9)
        {
            int factors = random.Next(2, 4);
            var text = new StringBuilder(Expression(random, depth + 1));
            for (int i = 1; i < factors; i++)
            {
                text.Append(" -> ").Append(Pick(random, s_widths).ToString(CultureInfo.InvariantCulture)).Append(" -> ").Append(Expression(random, depth + 1));
            }
            return text.ToString();
        }
        return "(" + Expression(random, depth + 1) + ")";
    }

    private static string Operand(Random random, int depth)
    {
        string e = Expression(random, depth + 1);
        return e.Contains("->") ? "(" + e + ")" : e;
    }

    private static string Primitive(Random random)
    {
        string Small() => random.Next(12) == 0 ? Pick(random, new[] { "0", "-2", "2147483647", "100000" }) : Pick(random, new[] { "1", "2", "4", "8", "16", "3", "5" });
        return random.Next(8) switch
        {
            0 => "dense",
            1 => $"lowrank(r: {Small()})",
            2 => $"monarch(blocks: {Small()})",
            3 => random.Next(2) == 0 ? "kronecker" : $"kronecker({Small()}x{Small()}, {Small()}x{Small()})",
            4 => random.Next(2) == 0 ? $"blast(blocks: {Small()}, r: {Small()})" : $"blast(rows: {Small()}, columns: {Small()}, r: {Small()})",
            5 => $"blockdiag(blocks: {Small()})",
            6 => $"dense + lowrank(r: {Small()}" + (random.Next(2) == 0 ? $", alpha: {Small()})" : ")"),
            _ => "dense",
        };
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (char c in text)
        {
            escaped.Append(c < 0x20 && c != '\n' || c > 0x7E ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString());
        }
        return escaped.ToString();
    }
}
