using System;

namespace StructGen.Projection;

/// <summary>Projection onto the dense structure: the identity (<c>weight = W</c>).</summary>
public static class DenseProjection
{
    /// <summary>Copies <paramref name="dense"/> into the <c>weight</c> tensor <c>[Out, In]</c>.</summary>
    /// <param name="dense">The weight <c>W</c>, <c>[Out, In]</c> row-major.</param>
    /// <param name="outFeatures">Rows of <paramref name="dense"/> (<c>Out</c>).</param>
    /// <param name="inFeatures">Columns of <paramref name="dense"/> (<c>In</c>).</param>
    /// <returns><c>dense</c> with tensor <c>weight [Out, In]</c>.</returns>
    public static ProjectedStructure Project(ReadOnlySpan<float> dense, int outFeatures, int inFeatures)
    {
        DenseWeight.From(dense, outFeatures, inFeatures); // validation only
        var weight = new ProjectedTensor("weight", [outFeatures, inFeatures], dense.ToArray());
        return new ProjectedStructure("dense", outFeatures, inFeatures, [weight]);
    }
}
