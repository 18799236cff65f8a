using System;

namespace StructGen;

/// <summary>
/// A block-diagonal layer (fly <c>BlockdiagLinear</c>): <c>weight [blocks, Out/blocks, In/blocks]</c>,
/// block <c>k</c> links input group <c>k</c> to output group <c>k</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockDiagonalAttribute : StructuredLayerAttribute
{
    /// <summary>Declares a block-diagonal layer with <paramref name="blocks"/> blocks.</summary>
    /// <param name="blocks">Number of diagonal blocks.</param>
    public BlockDiagonalAttribute(int blocks) => Blocks = blocks;

    /// <summary>Number of diagonal blocks.</summary>
    public int Blocks { get; }
}
