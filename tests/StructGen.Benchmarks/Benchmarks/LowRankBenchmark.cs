using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>Low rank, r = 64.</summary>
public class LowRankBenchmark : StructureBenchmark
{
    /// <inheritdoc />
    public override StructureKind Kind => StructureKind.LowRank;
}
