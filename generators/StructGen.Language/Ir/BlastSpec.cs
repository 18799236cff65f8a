using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// BLAST (changwoolee/BLAST <c>BlastLinear</c>): <c>B [b1, Out/b1, R]</c>, <c>C [b2, R, In/b2]</c>,
/// <c>D [b1, b2, R]</c>; block <c>(i, j)</c> of <c>W</c> is <c>B[i]·diag(D[i, j])·C[j]</c>.
/// </summary>
public sealed record BlastSpec(int In, int Out, int RowBlocks, int ColumnBlocks, int Rank) : LayerSpec(In, Out)
{
    /// <summary>Rows per row block (<c>Out/b1</c>).</summary>
    public int BlockOut => Out / RowBlocks;

    /// <summary>Columns per column block (<c>In/b2</c>).</summary>
    public int BlockIn => In / ColumnBlocks;

    public override string Describe() => RowBlocks == ColumnBlocks
        ? $"blast(blocks: {RowBlocks}, r: {Rank})"
        : $"blast(rows: {RowBlocks}, columns: {ColumnBlocks}, r: {Rank})";

    public override EquatableArray<TensorSpec> Tensors => EquatableArray.Create(
        TensorSpec.Create("B", InitScale.FanIn(Rank), "kaiming-uniform, fan_in = R: dense output variance", RowBlocks, BlockOut, Rank),
        TensorSpec.Create("C", InitScale.UnitVariance(BlockIn), "variance b2/In: unit-variance block projections", ColumnBlocks, Rank, BlockIn),
        TensorSpec.Create("D", InitScale.UnitVariance(ColumnBlocks), "variance 1/b2: the sum over column blocks keeps the variance", RowBlocks, ColumnBlocks, Rank));

    public override long ForwardFlopsPerRow => 2L * Rank * ((long)In + Out) + 2L * RowBlocks * ColumnBlocks * Rank;
}
