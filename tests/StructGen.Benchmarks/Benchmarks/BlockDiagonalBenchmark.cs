using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>Block diagonal, 16 blocks.</summary>
public class BlockDiagonalBenchmark : StructureBenchmark
{
    /// <inheritdoc />
    public override StructureKind Kind => StructureKind.BlockDiagonal;
}
