using System;

namespace StructGen.Projection;

/// <summary>
/// The leading singular triplets of a matrix by whichever method is cheaper for its size:
/// <see cref="JacobiSvd"/> (exact, all components) when the smaller side is at most <see cref="JacobiLimit"/>
/// or <c>8·(rank + 10)</c> exceeds it, <see cref="RandomizedSvd"/> otherwise. Every projection goes through here.
/// </summary>
public static class TruncatedSvd
{
    /// <summary>Up to this smaller side the full Jacobi SVD is always used: exact and cheap enough.</summary>
    public const int JacobiLimit = 128;

    /// <summary>The leading <c>min(rank, rows, columns)</c> singular triplets of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">The matrix, <c>[rows, columns]</c> row-major; not modified.</param>
    /// <param name="rows">Number of rows, at least 1.</param>
    /// <param name="columns">Number of columns, at least 1.</param>
    /// <param name="rank">Components wanted, at least 1; more than <c>min(rows, columns)</c> gives all of them.</param>
    /// <param name="seed">Seed of the randomized path (ignored by the exact one).</param>
    /// <param name="tolerance">Convergence threshold of the randomized path (see <see cref="RandomizedSvd.DefaultTolerance"/>).</param>
    /// <returns>The leading triplets, largest first.</returns>
    public static SingularValueDecomposition Decompose(ReadOnlySpan<double> matrix, int rows, int columns, int rank, int seed = 0, double tolerance = RandomizedSvd.DefaultTolerance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int smaller = Math.Min(rows, columns);
        int kept = Math.Min(rank, smaller);

        // Measured (one core, flat spectra, the slowest case for the sketch): Jacobi 512 × 512 ≈ randomized
        // rank 32 (ℓ = 42) ≈ 1.2 s, and randomized rank 64 takes twice as long. The sketch costs ~4·m·n·ℓ per
        // power iteration against ~3·m·n² per Jacobi sweep, so it pays only when ℓ is a small fraction of n.
        bool exact = smaller <= JacobiLimit || 8 * (kept + RandomizedSvd.DefaultOversampling) > smaller;
        return exact
            ? JacobiSvd.Decompose(matrix, rows, columns).Truncate(kept)
            : RandomizedSvd.Decompose(matrix, rows, columns, kept, seed, tolerance: tolerance);
    }
}
