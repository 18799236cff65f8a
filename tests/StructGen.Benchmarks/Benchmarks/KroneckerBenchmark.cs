using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks;

/// <summary>Kronecker, √n×√n ⊗ √n×√n (32×32 ⊗ 32×32, 64×64 ⊗ 64×64).</summary>
public class KroneckerBenchmark : StructureBenchmark
{
    /// <inheritdoc />
    public override StructureKind Kind => StructureKind.Kronecker;
}
