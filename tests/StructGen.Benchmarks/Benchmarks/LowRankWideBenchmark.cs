using System.Collections.Generic;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>Low rank, r = n / 16: only at n = 4096 (r = 256), since at n = 1024 it is the r = 64 case.</summary>
public class LowRankWideBenchmark : StructureBenchmark
{
    /// <inheritdoc />
    public override StructureKind Kind => StructureKind.LowRankWide;

    /// <inheritdoc />
    public override IEnumerable<int> Sizes => [4096];
}
