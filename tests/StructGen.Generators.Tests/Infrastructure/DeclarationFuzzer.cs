using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using StructGen.Language.Binding;

namespace StructGen.Generators.Tests.Infrastructure;

/// <summary>
/// One generated declaration: its own file, a type named <see cref="TypeName"/> found nowhere else, and a
/// short description of the type's shape (kind, containers, namespace) for sampling.
/// </summary>
internal sealed record FuzzDeclaration(string Path, string TypeName, string Attribute, string Source, string Shape)
{
    /// <summary>The attribute's structure name (<c>Monarch</c>, <c>BLAST</c>, …).</summary>
    public string Structure => Attribute.Split('(')[0];
}

/// <summary>
/// Seeded random structure declarations. <see cref="Valid"/> writes only declarations the generator must
/// accept; <see cref="Any"/> mixes in everything a user can get wrong: values that are 0, negative, huge,
/// non-divisors, of the wrong type or missing, and types that are not partial, nested, generic,
/// records, structs, static or abstract.
/// </summary>
internal sealed class DeclarationFuzzer
{
    private static readonly string[] s_structures = { "Dense", "LowRank", "Monarch", "Kronecker", "BLAST", "BlockDiagonal" };

    private static readonly int[] s_sizes = { 1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 30, 32, 36, 48, 64, 96, 100, 128, 256 };

    /// <summary>Values of a size or count, valid or not, as C# expressions.</summary>
    private static readonly string[] s_wildValues =
    {
        "0", "-1", "-64", "int.MaxValue", "int.MinValue", "65536", "1 << 20", "3000", "46341", "\"8\"", "2.5", "true",
        "8L", "(short)8", "(byte)4", "nameof(System.Int32)", "System.Environment.ProcessorCount", "null", "'a'", "4 * 4",
    };

    private readonly Random _random;

    public DeclarationFuzzer(int seed) => _random = new Random(seed);

    /// <summary>A declaration the generator must accept (it may still warn: padding, no saving).</summary>
    public FuzzDeclaration Valid(int index)
    {
        string structure = Pick(s_structures);
        int inFeatures = Pick(s_sizes), outFeatures = Pick(s_sizes);
        var arguments = new List<string>();
        switch (structure)
        {
            case "LowRank":
                arguments.Add(Chance(0.5) ? $"r: {_random.Next(1, Math.Min(inFeatures, outFeatures) + 1)}" : $"{_random.Next(1, Math.Min(inFeatures, outFeatures) + 1)}");
                break;
            case "Monarch":
            case "BlockDiagonal":
                arguments.Add($"blocks: {_random.Next(1, Math.Min(inFeatures, outFeatures) + 1)}");
                break;
            case "Kronecker":
                if (Chance(0.5))
                {
                    arguments.Add($"In1 = {Pick(Divisors(inFeatures))}");
                }
                if (Chance(0.5))
                {
                    arguments.Add($"Out2 = {Pick(Divisors(outFeatures))}");
                }
                break;
            case "BLAST":
                int rows = Pick(Divisors(outFeatures)), columns = Pick(Divisors(inFeatures));
                int[] common = Divisors(inFeatures).Intersect(Divisors(outFeatures)).ToArray();
                int blocks = Pick(common);
                if (Chance(0.5) || !common.Contains(StructureBinder.DefaultBlastBlocks))
                {
                    arguments.Add(Chance(0.5) ? $"blocks: {blocks}" : $"{blocks}");
                    if (Chance(0.5))
                    {
                        arguments.Add($"r: {_random.Next(1, Math.Min(inFeatures, outFeatures) + 1)}");
                    }
                }
                if (Chance(0.3))
                {
                    arguments.Add($"RowBlocks = {rows}");
                    arguments.Add($"ColumnBlocks = {columns}");
                }
                break;
        }
        arguments.Add($"In = {inFeatures}");
        arguments.Add($"Out = {outFeatures}");
        AddOptions(arguments, wild: false);
        string attribute = $"{structure}({string.Join(", ", Shuffled(arguments))})";
        return Wrap(index, $"[{attribute}]", "public partial class", wildShape: false, attribute);
    }

    /// <summary>Any declaration, valid or not.</summary>
    public FuzzDeclaration Any(int index)
    {
        if (Chance(0.3))
        {
            FuzzDeclaration valid = Valid(index);
            return Chance(0.5) ? valid : Rewrap(index, valid.Attribute);
        }
        string structure = Pick(s_structures);
        var arguments = new List<string>();
        switch (structure)
        {
            case "LowRank":
                Maybe(arguments, 0.85, v => Chance(0.5) ? $"r: {v}" : v, Count());
                break;
            case "Monarch":
            case "BlockDiagonal":
                Maybe(arguments, 0.85, v => Chance(0.7) ? $"blocks: {v}" : v, Count());
                break;
            case "Kronecker":
                foreach (string factor in new[] { "In1", "Out1", "In2", "Out2" })
                {
                    Maybe(arguments, 0.3, v => $"{factor} = {v}", Count());
                }
                break;
            case "BLAST":
                if (Chance(0.6))
                {
                    arguments.Add(Chance(0.5) ? $"blocks: {Count()}" : Count());
                    Maybe(arguments, 0.5, v => $"r: {v}", Count());
                }
                Maybe(arguments, 0.3, v => $"RowBlocks = {v}", Count());
                Maybe(arguments, 0.3, v => $"ColumnBlocks = {v}", Count());
                break;
        }
        Maybe(arguments, 0.9, v => $"In = {v}", Size());
        Maybe(arguments, 0.9, v => $"Out = {v}", Size());
        AddOptions(arguments, wild: true);
        if (Chance(0.03))
        {
            arguments.Add(Pick(new[] { "Rank = 4", "Blocks = 2", "Depth = 3", "7" }));
        }

        string attribute = arguments.Count == 0 && Chance(0.5) ? structure : $"{structure}({string.Join(", ", Shuffled(arguments))})";
        string attributes = $"[{attribute}]";
        if (Chance(0.03))
        {
            attributes += Chance(0.5) ? " [Dense(In = 8, Out = 8)]" : " [LowRank(r: 2, In = 8, Out = 8)]";
        }
        return Rewrap(index, attribute, attributes);
    }

    private FuzzDeclaration Rewrap(int index, string attribute, string? attributes = null)
    {
        string kind = Pick(new[]
        {
            "public partial class", "public partial class", "public partial class", "internal sealed partial class",
            "public class", "public partial record", "public partial record struct", "public partial struct",
            "public static partial class", "public abstract partial class", "public partial interface",
        });
        return Wrap(index, attributes ?? $"[{attribute}]", kind, wildShape: true, attribute);
    }

    /// <summary>Puts the attributed type in a file: global or namespaced, possibly nested or generic.</summary>
    private FuzzDeclaration Wrap(int index, string attributes, string kind, bool wildShape, string attribute)
    {
        string name = $"Fuzz{index}";
        bool generic = wildShape && Chance(0.05);
        string body = kind.Contains("interface", StringComparison.Ordinal) || kind.Contains("record", StringComparison.Ordinal) || Chance(0.5)
            ? ";"
            : " { }";
        string declaration = $"{attributes}\n{kind} {name}{(generic ? "<T>" : "")}{body}";

        string[] containers = wildShape
            ? new[] { "public partial class", "public static partial class", "internal partial struct", "public partial record", "public class", "public partial class {0}<TOuter>" }
            : new[] { "public partial class", "public static partial class", "internal partial struct", "public partial record" };
        int depth = Chance(0.25) ? _random.Next(1, 3) : 0;
        var shape = new List<string> { kind + (generic ? "<T>" : "") };
        for (int level = depth; level >= 1; level--)
        {
            string container = $"Box{index}_{level}";
            string header = Pick(containers);
            shape.Add("in " + header.Replace(" {0}", "", StringComparison.Ordinal));
            header = header.Contains("{0}", StringComparison.Ordinal) ? string.Format(CultureInfo.InvariantCulture, header, container) : $"{header} {container}";
            declaration = $"{header}\n{{\n{Indent(declaration)}\n}}";
        }

        int style = _random.Next(3);
        string source = style switch
        {
            0 => $"using StructGen;\n\n{declaration}\n",
            1 => $"using StructGen;\n\nnamespace Fuzz.N{index % 7};\n\n{declaration}\n",
            _ => $"using StructGen;\n\nnamespace Fuzz.Block{index % 5}\n{{\n{Indent(declaration)}\n}}\n",
        };
        shape.Add(style switch { 0 => "global namespace", 1 => "file-scoped namespace", _ => "block namespace" });
        return new FuzzDeclaration($"Fuzz{index}.cs", name, attribute, source, string.Join(", ", shape));
    }

    private void AddOptions(List<string> arguments, bool wild)
    {
        if (Chance(0.3))
        {
            arguments.Add("Bias = " + (wild && Chance(0.2) ? Pick(new[] { "1", "\"no\"", "null" }) : Chance(0.5) ? "true" : "false"));
        }
        if (Chance(0.2))
        {
            arguments.Add("Seed = " + (wild && Chance(0.2) ? Pick(new[] { "int.MinValue", "\"s\"", "1.5" }) : _random.Next(-5, 100).ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>A size: usually sensible, one in three wild.</summary>
    private string Size() => Chance(0.33) ? Pick(s_wildValues) : Pick(s_sizes).ToString(CultureInfo.InvariantCulture);

    /// <summary>A block count or rank: small numbers (divisors or not), one in three wild.</summary>
    private string Count() => Chance(0.33) ? Pick(s_wildValues) : _random.Next(1, 17).ToString(CultureInfo.InvariantCulture);

    private void Maybe(List<string> arguments, double probability, Func<string, string> write, string value)
    {
        if (Chance(probability))
        {
            arguments.Add(write(value));
        }
    }

    /// <summary>Named arguments in any order; positional ones stay first, as C# requires.</summary>
    private List<string> Shuffled(List<string> arguments)
    {
        var positional = arguments.Where(a => !a.Contains('=', StringComparison.Ordinal)).ToList();
        var named = arguments.Where(a => a.Contains('=', StringComparison.Ordinal)).OrderBy(_ => _random.Next()).ToList();
        return positional.Concat(named).ToList();
    }

    private static int[] Divisors(int n) => Enumerable.Range(1, n).Where(d => n % d == 0).ToArray();

    private static string Indent(string text)
    {
        var builder = new StringBuilder();
        foreach (string line in text.Split('\n'))
        {
            builder.Append(line.Length == 0 ? "" : "    " + line).Append('\n');
        }
        return builder.ToString().TrimEnd('\n');
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
