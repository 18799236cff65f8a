using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>BLAST, 16 × 16 blocks, r = 32 at n = 1024 and r = 128 at n = 4096.</summary>
public class BlastBenchmark : StructureBenchmark
{
    /// <inheritdoc />
    public override StructureKind Kind => StructureKind.Blast;
}
