using StructGen;

namespace StructGen.Reliability.Tests;

[Dense(In = 96, Out = 80)] public partial class DenseLayer;
[LowRank(r: 12, In = 200, Out = 150)] public partial class LowRankLayer;
[Monarch(blocks: 8, In = 256, Out = 512)] public partial class MonarchLayer;
[Monarch(blocks: 4, In = 30, Out = 18)] public partial class PaddedMonarchLayer;
[Kronecker(In = 144, Out = 96)] public partial class KroneckerLayer;
[BLAST(blocks: 4, r: 16, In = 128, Out = 256)] public partial class BlastLayer;
[BlockDiagonal(blocks: 4, In = 100, Out = 60)] public partial class BlockDiagonalLayer;

// 66,966 parameters: two threads sum its gradients together, each over its own range (ParallelRows.ParallelSumFloats).
[LowRank(r: 33, In = 1000, Out = 999)] public partial class LargeGradientLayer;

internal static class Catalog
{
    public static System.Collections.Generic.IEnumerable<object[]> Names => new[]
    {
        new object[] { nameof(DenseLayer) }, new object[] { nameof(LowRankLayer) }, new object[] { nameof(MonarchLayer) },
        new object[] { nameof(PaddedMonarchLayer) }, new object[] { nameof(KroneckerLayer) }, new object[] { nameof(BlastLayer) },
        new object[] { nameof(BlockDiagonalLayer) },
    };

    public static IStructuredLinear Create(string name) => name switch
    {
        nameof(DenseLayer) => new DenseLayer(),
        nameof(LowRankLayer) => new LowRankLayer(),
        nameof(MonarchLayer) => new MonarchLayer(),
        nameof(PaddedMonarchLayer) => new PaddedMonarchLayer(),
        nameof(KroneckerLayer) => new KroneckerLayer(),
        nameof(BlastLayer) => new BlastLayer(),
        _ => new BlockDiagonalLayer(),
    };

    public static float[] Random(int length, int seed)
    {
        var rng = new System.Random(seed);
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }
}
