using System;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.ReferenceForms;

/// <summary>Builds the reference form of a shape.</summary>
internal static class ReferenceFormFactory
{
    public static ReferenceForm Create(StructureShape shape, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Kind switch
        {
            StructureKind.Dense => new DenseForm(shape, maxBatch),
            StructureKind.Monarch => new MonarchForm(shape, maxBatch),
            StructureKind.LowRank or StructureKind.LowRankWide => new LowRankForm(shape, maxBatch),
            StructureKind.Kronecker => new KroneckerForm(shape, maxBatch),
            StructureKind.Blast => new BlastForm(shape, maxBatch),
            StructureKind.BlockDiagonal => new BlockDiagonalForm(shape, maxBatch),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape.Kind, null),
        };
    }
}
