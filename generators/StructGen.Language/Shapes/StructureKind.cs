using System;
using System.Collections.Generic;

namespace StructGen.Language.Shapes;

/// <summary>The primitive structures and the names they go by in attributes and in the DSL.</summary>
public enum StructureKind
{
    Dense,
    LowRank,
    Monarch,
    Kronecker,
    Blast,
    BlockDiagonal,
}

/// <summary>Names of the structures and the arguments each takes.</summary>
public static class StructureNames
{
    private static readonly Dictionary<string, StructureKind> s_byName = new(StringComparer.Ordinal)
    {
        ["Dense"] = StructureKind.Dense, ["dense"] = StructureKind.Dense,
        ["LowRank"] = StructureKind.LowRank, ["lowrank"] = StructureKind.LowRank,
        ["Monarch"] = StructureKind.Monarch, ["monarch"] = StructureKind.Monarch,
        ["Kronecker"] = StructureKind.Kronecker, ["kronecker"] = StructureKind.Kronecker,
        ["BLAST"] = StructureKind.Blast, ["blast"] = StructureKind.Blast,
        ["BlockDiagonal"] = StructureKind.BlockDiagonal, ["blockdiag"] = StructureKind.BlockDiagonal,
    };

    /// <summary>DSL spellings, for suggestions.</summary>
    public static IReadOnlyList<string> DslNames { get; } = new[] { "dense", "lowrank", "monarch", "kronecker", "blast", "blockdiag" };

    public static bool TryParse(string name, out StructureKind kind) => s_byName.TryGetValue(name, out kind);

    /// <summary>Arguments specific to a structure (besides In, Out, Bias, Seed).</summary>
    public static IReadOnlyList<string> ArgumentsOf(StructureKind kind) => kind switch
    {
        StructureKind.LowRank => new[] { "r" },
        StructureKind.Monarch => new[] { "blocks" },
        StructureKind.BlockDiagonal => new[] { "blocks" },
        StructureKind.Kronecker => new[] { "In1", "Out1", "In2", "Out2" },
        StructureKind.Blast => new[] { "blocks", "r", "RowBlocks", "ColumnBlocks" },
        _ => Array.Empty<string>(),
    };

    /// <summary>Arguments every structure takes.</summary>
    public static IReadOnlyList<string> Common { get; } = new[] { "In", "Out", "Bias", "Seed" };
}
