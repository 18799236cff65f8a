using System;
using System.Collections.Generic;
using StructGen.Language.Shapes;

namespace StructGen.Language.Binding;

/// <summary>
/// The named arguments each structure takes in the DSL, and the <see cref="StructureBinder"/> argument
/// each one stands for. Sizes (<c>In</c>, <c>Out</c>) are not arguments in the DSL: they flow from the
/// declaration and the chain; Kronecker factors are positional shapes (<c>kronecker(32x32, 32x32)</c>).
/// </summary>
internal static class DslArguments
{
    private static readonly (string Dsl, string Binder)[] s_blocks = { ("blocks", "blocks") };
    private static readonly (string Dsl, string Binder)[] s_lowRank = { ("r", "r") };
    private static readonly (string Dsl, string Binder)[] s_blast = { ("blocks", "blocks"), ("r", "r"), ("rows", "RowBlocks"), ("columns", "ColumnBlocks") };
    private static readonly (string Dsl, string Binder)[] s_none = Array.Empty<(string, string)>();

    /// <summary>The adapter's scaling numerator: <c>dense + lowrank(r: 8, alpha: 16)</c>.</summary>
    public const string Alpha = "alpha";

    public static IReadOnlyList<(string Dsl, string Binder)> Of(StructureKind kind) => kind switch
    {
        StructureKind.LowRank => s_lowRank,
        StructureKind.Monarch or StructureKind.BlockDiagonal => s_blocks,
        StructureKind.Blast => s_blast,
        _ => s_none,
    };

    public static bool TryMap(StructureKind kind, string dslName, out string binderName)
    {
        foreach ((string dsl, string binder) in Of(kind))
        {
            if (dsl == dslName)
            {
                binderName = binder;
                return true;
            }
        }
        binderName = string.Empty;
        return false;
    }

    public static IEnumerable<string> NamesOf(StructureKind kind)
    {
        foreach ((string dsl, _) in Of(kind))
        {
            yield return dsl;
        }
    }
}
