using System;

namespace StructGen.Projection;

/// <summary>
/// The leading singular triplets of a matrix by whichever method is cheaper for its size:
/// <see cref="JacobiSvd"/> (exact, all components) for small matrices or ranks that are a large fraction
/// of the smaller side, <see cref="RandomizedSvd"/> otherwise. Every projection goes through here.
/// </summary>
public static class TruncatedSvd
{
    /// <summary>Below this smaller side the full Jacobi SVD is both exact and cheap enough.</summary>
    public const int JacobiLimit = 96;

    /// <summary>The leading <c>min(rank, rows, columns)</c> singular triplets of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">The matrix, <c>[rows, columns]</c> row-major; not modified.</param>
    /// <param name="rows">Number of rows, at least 1.</param>
    /// <param name="columns">Number of columns, at least 1.</param>
    /// <param name="rank">Components wanted, at least 1; more than <c>min(rows, columns)</c> gives all of them.</param>
    /// <param name="seed">Seed of the randomized path (ignored by the exact one).</param>
    /// <returns>The leading triplets, largest first.</returns>
    public static SingularValueDecomposition Decompose(ReadOnlySpan<double> matrix, int rows, int columns, int rank, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int smaller = Math.Min(rows, columns);
        int kept = Math.Min(rank, smaller);

        // The sketch costs ~4·m·n·ℓ per iteration against ~6·m·n² per Jacobi sweep: worth it only when ℓ
        // is a small fraction of n.
        bool exact = smaller <= JacobiLimit || 3 * (kept + RandomizedSvd.DefaultOversampling) > smaller;
        return exact
            ? JacobiSvd.Decompose(matrix, rows, columns).Truncate(kept)
            : RandomizedSvd.Decompose(matrix, rows, columns, kept, seed);
    }
}
