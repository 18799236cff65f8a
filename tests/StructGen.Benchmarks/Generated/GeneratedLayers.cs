using System;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.Generated;

/// <summary>The generated StructGen layer of a benchmarked shape (declared in Layers.cs).</summary>
internal static class GeneratedLayers
{
    public static IStructuredLinear Create(StructureShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        IStructuredLinear layer = (shape.Kind, shape.In) switch
        {
            (StructureKind.Monarch, 1024) => new Monarch1024(),
            (StructureKind.Monarch, 4096) => new Monarch4096(),
            (StructureKind.LowRank, 1024) or (StructureKind.LowRankWide, 1024) => new LowRank1024(),
            (StructureKind.LowRank, 4096) => new LowRank4096(),
            (StructureKind.LowRankWide, 4096) => new LowRankWide4096(),
            (StructureKind.Kronecker, 1024) => new Kronecker1024(),
            (StructureKind.Kronecker, 4096) => new Kronecker4096(),
            (StructureKind.Blast, 1024) => new Blast1024(),
            (StructureKind.Blast, 4096) => new Blast4096(),
            (StructureKind.BlockDiagonal, 1024) => new BlockDiagonal1024(),
            (StructureKind.BlockDiagonal, 4096) => new BlockDiagonal4096(),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "No generated layer declared for this shape."),
        };
        if (layer.InFeatures != shape.In || layer.OutFeatures != shape.Out)
        {
            throw new InvalidOperationException($"{layer.GetType().Name} is {layer.InFeatures}→{layer.OutFeatures}, expected {shape}.");
        }
        return layer;
    }
}
