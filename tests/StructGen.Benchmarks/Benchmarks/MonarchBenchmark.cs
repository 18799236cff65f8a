using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>Monarch, √n blocks (32 at n = 1024, 64 at n = 4096).</summary>
public class MonarchBenchmark : StructureBenchmark
{
    /// <inheritdoc />
    public override StructureKind Kind => StructureKind.Monarch;
}
