using System;

namespace StructGen;

/// <summary>
/// A BLAST layer (Lee et al. 2024; changwoolee/BLAST <c>BlastLinear</c>): block <c>(i, j)</c> of
/// <c>W</c> is <c>B[i]·diag(D[i, j])·C[j]</c>, with shared left factors <c>B [b, Out/b, r]</c>,
/// right factors <c>C [b, r, In/b]</c> and coupling diagonals <c>D [b, b, r]</c>.
/// </summary>
/// <remarks>
/// Defaults: <c>blocks = 4</c>; <c>r = min(In, Out) / 8</c> (at least 1), which keeps about a quarter of
/// the dense parameters. <see cref="RowBlocks"/>/<see cref="ColumnBlocks"/> give BLAST's <c>b1 × b2</c> grid.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
#pragma warning disable CA1709 // The user's spelling is [BLAST].
public sealed class BLASTAttribute : StructuredLayerAttribute
#pragma warning restore CA1709
{
    /// <summary>BLAST with the default grid (4 × 4 blocks) and rank (<c>min(In, Out) / 8</c>).</summary>
    public BLASTAttribute() { }

    /// <summary>BLAST with <paramref name="blocks"/> × <paramref name="blocks"/> blocks and the default rank.</summary>
    /// <param name="blocks">Blocks along each side; must divide <c>In</c> and <c>Out</c>.</param>
    public BLASTAttribute(int blocks) => Blocks = blocks;

    /// <summary>BLAST with <paramref name="blocks"/> × <paramref name="blocks"/> blocks of rank <paramref name="r"/>.</summary>
    /// <param name="blocks">Blocks along each side; must divide <c>In</c> and <c>Out</c>.</param>
    /// <param name="r">Rank of every block's factors.</param>
    public BLASTAttribute(int blocks, int r)
    {
        Blocks = blocks;
        Rank = r;
    }

    /// <summary>Blocks along each side (0 when the default is used).</summary>
    public int Blocks { get; }

    /// <summary>Rank of the factors (0 when the default is used).</summary>
    public int Rank { get; }

    /// <summary>Row blocks <c>b1</c> (splitting <c>Out</c>); 0 uses <c>blocks</c>.</summary>
    public int RowBlocks { get; set; }

    /// <summary>Column blocks <c>b2</c> (splitting <c>In</c>); 0 uses <c>blocks</c>.</summary>
    public int ColumnBlocks { get; set; }
}
