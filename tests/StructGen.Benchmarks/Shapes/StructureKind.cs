namespace StructGen.Benchmarks.Shapes;

/// <summary>The layer structures the suite measures; each has a benchmark class and a reference form.</summary>
public enum StructureKind
{
    /// <summary>Unstructured <c>weight [Out, In]</c>; the OpenBLAS baseline.</summary>
    Dense,

    /// <summary>Monarch (fly <c>MonarchLinear</c>).</summary>
    Monarch,

    /// <summary>Low rank with <c>r = 64</c> (LoRA convention).</summary>
    LowRank,

    /// <summary>Low rank with <c>r = n / 16</c> (only distinct from <see cref="LowRank"/> at n = 4096).</summary>
    LowRankWide,

    /// <summary>Kronecker product of two balanced factors.</summary>
    Kronecker,

    /// <summary>BLAST (changwoolee/BLAST <c>BlastLinear</c>).</summary>
    Blast,

    /// <summary>Block diagonal (fly <c>BlockdiagLinear</c>).</summary>
    BlockDiagonal,
}
