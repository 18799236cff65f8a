using System;

namespace StructGen.Projection;

/// <summary>
/// Full thin SVD of a small dense matrix by one-sided Jacobi (Hestenes): plane rotations applied to
/// pairs of columns until every pair is orthogonal; the column norms are then the singular values.
/// </summary>
/// <remarks>
/// Chosen over bidiagonalization + QR for its simplicity and its high relative accuracy (small singular
/// values come out as accurately as large ones, which the tail-error checks of the projections rely on).
/// Cost: about <c>6·m·n²</c> FLOPs per sweep (<c>n = min(rows, columns)</c>, <c>m = max</c>), usually 6–12
/// sweeps; use <see cref="RandomizedSvd"/> for the top few components of a large matrix.
/// </remarks>
public static class JacobiSvd
{
    private const int MaxSweeps = 60;

    /// <summary>Decomposes <paramref name="matrix"/> (<c>[rows, columns]</c>, row-major) into <c>min(rows, columns)</c> components.</summary>
    /// <param name="matrix">The matrix, row-major; not modified.</param>
    /// <param name="rows">Number of rows, at least 1.</param>
    /// <param name="columns">Number of columns, at least 1.</param>
    /// <returns>All <c>min(rows, columns)</c> singular triplets, largest first.</returns>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> does not hold <c>rows·columns</c> values or holds a non-finite value.</exception>
    public static SingularValueDecomposition Decompose(ReadOnlySpan<double> matrix, int rows, int columns)
    {
        MatrixArguments.Check(matrix, rows, columns, nameof(matrix));

        // Work on whichever of M and Mᵀ has fewer columns: the rotations act on column pairs.
        bool transposed = rows < columns;
        int m = transposed ? columns : rows;
        int n = transposed ? rows : columns;
        var work = new double[n * m]; // column j of the working matrix at j·m
        if (transposed)
        {
            matrix.CopyTo(work); // the columns of Mᵀ are the rows of M
        }
        else
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    work[j * m + i] = matrix[i * columns + j];
                }
            }
        }

        var rotations = new double[n * n]; // accumulated right rotations, column j at j·n
        for (int j = 0; j < n; j++)
        {
            rotations[j * n + j] = 1;
        }

        Orthogonalize(work, m, n, rotations);
        return Assemble(work, m, n, rotations, transposed, rows, columns);
    }

    private static void Orthogonalize(double[] work, int m, int n, double[] rotations)
    {
        double tolerance = Math.Max(1.0, Math.Sqrt(m)) * 4.5e-16;
        var squaredNorms = new double[n];
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            // Norms are updated through the rotations and recomputed once per sweep against drift.
            for (int j = 0; j < n; j++)
            {
                squaredNorms[j] = Blas1.Dot(work.AsSpan(j * m, m), work.AsSpan(j * m, m));
            }
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
            {
                Span<double> xp = work.AsSpan(p * m, m);
                for (int q = p + 1; q < n; q++)
                {
                    Span<double> xq = work.AsSpan(q * m, m);
                    double alpha = squaredNorms[p];
                    double beta = squaredNorms[q];
                    double gamma = Blas1.Dot(xp, xq);
                    if (gamma == 0 || Math.Abs(gamma) <= tolerance * Math.Sqrt(alpha) * Math.Sqrt(beta))
                    {
                        continue;
                    }
                    rotated = true;

                    // The rotation that zeroes the off-diagonal of the 2×2 Gram matrix [[α, γ], [γ, β]];
                    // the smaller root of t² + 2ζt − 1 = 0 keeps the rotation angle below π/4.
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = (zeta >= 0 ? 1.0 : -1.0) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double c = 1 / Math.Sqrt(1 + t * t);
                    double s = c * t;
                    Blas1.Rotate(xp, xq, c, s);
                    Blas1.Rotate(rotations.AsSpan(p * n, n), rotations.AsSpan(q * n, n), c, s);
                    squaredNorms[p] = Math.Max(alpha - t * gamma, 0);
                    squaredNorms[q] = beta + t * gamma;
                }
            }
            if (!rotated)
            {
                return;
            }
        }
    }

    private static SingularValueDecomposition Assemble(double[] work, int m, int n, double[] rotations, bool transposed, int rows, int columns)
    {
        var norms = new double[n];
        var order = new int[n];
        for (int j = 0; j < n; j++)
        {
            norms[j] = Math.Sqrt(Blas1.Dot(work.AsSpan(j * m, m), work.AsSpan(j * m, m)));
            order[j] = j;
        }
        // Largest first; ties keep their column order so the result is deterministic.
        Array.Sort(order, (a, b) => norms[a] != norms[b] ? norms[b].CompareTo(norms[a]) : a.CompareTo(b));

        var values = new double[n];
        var normalized = new double[n * m]; // the "U" side of the working matrix
        var rotated = new double[n * n];    // the "V" side
        bool deficient = false;
        for (int t = 0; t < n; t++)
        {
            int j = order[t];
            values[t] = norms[j];
            work.AsSpan(j * m, m).CopyTo(normalized.AsSpan(t * m, m));
            if (norms[j] > 0)
            {
                Blas1.Scale(1 / norms[j], normalized.AsSpan(t * m, m));
            }
            else
            {
                deficient = true;
            }
            rotations.AsSpan(j * n, n).CopyTo(rotated.AsSpan(t * n, n));
        }
        if (deficient)
        {
            // Zero columns carry no direction: complete them to an orthonormal set.
            var random = new SplitMix64(0);
            GramSchmidt.Orthonormalize(normalized, m, n, ref random);
        }

        return transposed
            ? new SingularValueDecomposition(rows, columns, rotated, values, normalized)
            : new SingularValueDecomposition(rows, columns, normalized, values, rotated);
    }
}
