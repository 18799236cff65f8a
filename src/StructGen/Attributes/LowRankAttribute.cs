using System;

namespace StructGen;

/// <summary>
/// A low-rank layer <c>W = B·A</c> with <c>A [r, In]</c> and <c>B [Out, r]</c> (LoRA's convention).
/// Cost per row <c>2·r·(In + Out)</c> FLOPs instead of <c>2·In·Out</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LowRankAttribute : StructuredLayerAttribute
{
    /// <summary>Declares a rank-<paramref name="r"/> layer.</summary>
    /// <param name="r">The rank: positive and at most <c>min(In, Out)</c>.</param>
    public LowRankAttribute(int r) => Rank = r;

    /// <summary>The rank <c>r</c>.</summary>
    public int Rank { get; }
}
