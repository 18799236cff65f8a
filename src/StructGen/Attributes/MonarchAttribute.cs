using System;

namespace StructGen;

/// <summary>
/// A Monarch layer (Dao et al. 2022; HazyResearch/fly <c>MonarchLinear</c>): two block-diagonal factors
/// <c>blkdiag1</c>, <c>blkdiag2</c> with the Monarch permutation between them. For square <c>n</c> with
/// <c>blocks = √n</c> it costs <c>4·n^1.5</c> FLOPs per row instead of <c>2·n²</c>.
/// </summary>
/// <remarks>
/// Features that <c>blocks</c> does not divide are zero-padded to the next multiple, as fly does (a warning says what it costs).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MonarchAttribute : StructuredLayerAttribute
{
    /// <summary>Declares a Monarch layer with <paramref name="blocks"/> blocks per factor.</summary>
    /// <param name="blocks">Number of diagonal blocks in each factor (fly's <c>nblocks</c>).</param>
    public MonarchAttribute(int blocks) => Blocks = blocks;

    /// <summary>Number of diagonal blocks in each factor.</summary>
    public int Blocks { get; }
}
