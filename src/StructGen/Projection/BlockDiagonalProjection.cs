using System;

namespace StructGen.Projection;

/// <summary>
/// Projection onto block-diagonal matrices (<c>weight [K, Out'/K, In'/K]</c>): keep the diagonal blocks,
/// drop the rest. Every entry is a free parameter or a structural zero, so this is the Frobenius-optimal
/// projection; its error is the norm of the off-diagonal part.
/// </summary>
/// <remarks>
/// Padding follows fly's <c>BlockdiagLinear</c> (STRUCTURES.md): <c>In' = K·⌈In/K⌉</c>,
/// <c>Out' = K·⌈Out/K⌉</c>. Entries of a block that fall in the padding multiply zero inputs or produce
/// discarded outputs, so they are set to zero. Cost: one pass over the blocks.
/// </remarks>
public static class BlockDiagonalProjection
{
    /// <summary>The block-diagonal part of <paramref name="dense"/> with <paramref name="blocks"/> blocks.</summary>
    /// <param name="dense">The weight <c>W</c>, <c>[Out, In]</c> row-major.</param>
    /// <param name="outFeatures">Rows of <paramref name="dense"/> (<c>Out</c>).</param>
    /// <param name="inFeatures">Columns of <paramref name="dense"/> (<c>In</c>).</param>
    /// <param name="blocks">The number of blocks <c>K</c>, at least 1.</param>
    /// <returns><c>blockdiag(blocks: K)</c> with tensor <c>weight [K, Out'/K, In'/K]</c>.</returns>
    public static ProjectedStructure Project(ReadOnlySpan<float> dense, int outFeatures, int inFeatures, int blocks)
    {
        DenseWeight.From(dense, outFeatures, inFeatures); // validation only: a copy needs no widening
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);
        int o = (int)(((long)outFeatures + blocks - 1) / blocks);
        int p = (int)(((long)inFeatures + blocks - 1) / blocks);

        var weight = new float[checked(blocks * o * p)];
        for (int k = 0; k < blocks; k++)
        {
            int columns = (int)Math.Clamp((long)inFeatures - (long)k * p, 0, p);
            for (int i = 0; i < o && k * o + i < outFeatures && columns > 0; i++)
            {
                int row = k * o + i;
                dense.Slice(row * inFeatures + k * p, columns).CopyTo(weight.AsSpan((k * o + i) * p, columns));
            }
        }
        return new ProjectedStructure(
            $"blockdiag(blocks: {blocks})",
            outFeatures,
            inFeatures,
            [new ProjectedTensor("weight", [blocks, o, p], weight)]);
    }
}
