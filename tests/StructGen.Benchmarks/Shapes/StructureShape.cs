using System;

namespace StructGen.Benchmarks.Shapes;

/// <summary>
/// One benchmarked layer shape: the structure, its features and its structural parameters, with the FLOPs
/// and weight count given by ../shared/STRUCTURES.md. The catalog (<see cref="Of"/>) is the single place
/// the suite's shapes are chosen; the generated layers in Generated/Layers.cs declare the same ones.
/// </summary>
/// <param name="Kind">The structure.</param>
/// <param name="In">Input features.</param>
/// <param name="Out">Output features.</param>
/// <param name="Blocks">Blocks (Monarch, block diagonal, BLAST on each side); 0 otherwise.</param>
/// <param name="Rank">Rank (low rank, BLAST); 0 otherwise.</param>
/// <param name="In1">Kronecker: input features of <c>w1</c>.</param>
/// <param name="Out1">Kronecker: output features of <c>w1</c>.</param>
public sealed record StructureShape(StructureKind Kind, int In, int Out, int Blocks = 0, int Rank = 0, int In1 = 0, int Out1 = 0)
{
    /// <summary>Kronecker: input features of <c>w2</c>.</summary>
    public int In2 => In1 == 0 ? 0 : In / In1;

    /// <summary>Kronecker: output features of <c>w2</c>.</summary>
    public int Out2 => Out1 == 0 ? 0 : Out / Out1;

    /// <summary>
    /// The suite's shape for <paramref name="kind"/> at square size <paramref name="n"/> (1024 or 4096):
    /// Monarch √n blocks (32, 64); low rank r = 64 and r = n/16; Kronecker √n×√n ⊗ √n×√n; BLAST 16 blocks
    /// with r = 32 at 1024 and r = 128 at 4096 (issue 9's shape; both keep about 1/16 of the dense FLOPs);
    /// block diagonal 16 blocks.
    /// </summary>
    public static StructureShape Of(StructureKind kind, int n)
    {
        int root = (int)Math.Round(Math.Sqrt(n));
        return kind switch
        {
            StructureKind.Dense => new(kind, n, n),
            StructureKind.Monarch => new(kind, n, n, Blocks: root),
            StructureKind.LowRank => new(kind, n, n, Rank: 64),
            StructureKind.LowRankWide => new(kind, n, n, Rank: n / 16),
            StructureKind.Kronecker => new(kind, n, n, In1: root, Out1: root),
            StructureKind.Blast => new(kind, n, n, Blocks: 16, Rank: n == 1024 ? 32 : n / 32),
            StructureKind.BlockDiagonal => new(kind, n, n, Blocks: 16),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>FLOPs of one forward row (multiply and add count as two), as STRUCTURES.md gives them.</summary>
    public long ForwardFlopsPerRow => Kind switch
    {
        StructureKind.Dense => 2L * In * Out,
        StructureKind.LowRank or StructureKind.LowRankWide => 2L * Rank * (In + Out),
        StructureKind.BlockDiagonal => 2L * (Out / Blocks) * (In / Blocks) * Blocks,
        StructureKind.Monarch => 2L * (MonarchFirstLength + MonarchSecondLength),
        StructureKind.Kronecker => 2L * ((long)Out1 * In1 * In2 + (long)Out1 * Out2 * In2),
        StructureKind.Blast => 2L * Rank * (In + Out) + 2L * Blocks * Blocks * Rank,
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    /// <summary>Trainable values (no bias).</summary>
    public long WeightCount => Kind switch
    {
        StructureKind.Dense => (long)In * Out,
        StructureKind.LowRank or StructureKind.LowRankWide => (long)Rank * (In + Out),
        StructureKind.BlockDiagonal => (long)(Out / Blocks) * (In / Blocks) * Blocks,
        StructureKind.Monarch => MonarchFirstLength + MonarchSecondLength,
        StructureKind.Kronecker => (long)Out1 * In1 + (long)Out2 * In2,
        StructureKind.Blast => (long)Rank * (In + Out) + (long)Blocks * Blocks * Rank,
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    /// <summary>Bytes of the weights in FP32: what a batch-1 forward must read at least once.</summary>
    public long WeightBytes => WeightCount * sizeof(float);

    /// <summary>Monarch <c>blkdiag1</c> as <c>[k, q, p]</c> (fly's shapes, In &lt; Out or not).</summary>
    public (int K, int Q, int P) MonarchFirst
        => In < Out ? (Blocks, In / Blocks, In / Blocks) : (Blocks, Out / Blocks, In / Blocks);

    /// <summary>Monarch <c>blkdiag2</c> as <c>[l, s, r]</c>.</summary>
    public (int L, int S, int R) MonarchSecond
        => In < Out ? (Blocks, Out / Blocks, In / Blocks) : (Blocks, Out / Blocks, Out / Blocks);

    private long MonarchFirstLength => (long)MonarchFirst.K * MonarchFirst.Q * MonarchFirst.P;

    private long MonarchSecondLength => (long)MonarchSecond.L * MonarchSecond.S * MonarchSecond.R;

    /// <summary>Short description, e.g. <c>monarch(blocks: 32) 1024→1024</c>.</summary>
    public override string ToString() => Kind switch
    {
        StructureKind.Dense => $"dense {In}→{Out}",
        StructureKind.Monarch => $"monarch(blocks: {Blocks}) {In}→{Out}",
        StructureKind.LowRank or StructureKind.LowRankWide => $"lowrank(r: {Rank}) {In}→{Out}",
        StructureKind.Kronecker => $"kronecker({Out1}×{In1}, {Out2}×{In2}) {In}→{Out}",
        StructureKind.Blast => $"blast(blocks: {Blocks}, r: {Rank}) {In}→{Out}",
        StructureKind.BlockDiagonal => $"blockdiag(blocks: {Blocks}) {In}→{Out}",
        _ => Kind.ToString(),
    };
}
