using System;

namespace StructGen.Projection;

/// <summary>
/// Orthonormalizes a set of contiguous column vectors in place (modified Gram–Schmidt, applied twice:
/// "twice is enough" keeps the columns orthogonal to working precision even when they are nearly
/// dependent, as the columns of a power iteration become).
/// </summary>
internal static class GramSchmidt
{
    /// <summary>
    /// Makes the <paramref name="count"/> columns of <paramref name="columns"/> (column <c>j</c> at
    /// <c>j·length</c>) orthonormal. A column that is (numerically) in the span of the previous ones is
    /// replaced by a random direction orthogonal to them, so the result always spans <paramref name="count"/>
    /// dimensions.
    /// </summary>
    /// <returns>
    /// The upper-triangular <c>R</c> (<c>[count, count]</c>, row-major) with <c>input = Q·R</c>; the
    /// diagonal entry of a replaced column is zero.
    /// </returns>
    public static double[] Orthonormalize(Span<double> columns, int length, int count, ref SplitMix64 random)
    {
        var r = new double[count * count];
        for (int j = 0; j < count; j++)
        {
            Span<double> column = columns.Slice(j * length, length);
            double original = Math.Sqrt(Blas1.Dot(column, column));
            ProjectOut(columns, length, j, column, r, j, count);
            double norm = Math.Sqrt(Blas1.Dot(column, column));
            if (norm > 1e-13 * original && norm > 0)
            {
                r[j * count + j] = norm;
                Blas1.Scale(1.0 / norm, column);
                continue;
            }

            // Rank deficiency (an exactly low-rank input): keep Q orthonormal with a fresh direction.
            Span<double> scratch = new double[count * count];
            for (int attempt = 0; ; attempt++)
            {
                random.FillGaussian(column);
                double fresh = Math.Sqrt(Blas1.Dot(column, column));
                ProjectOut(columns, length, j, column, scratch, j, count);
                norm = Math.Sqrt(Blas1.Dot(column, column));
                if (norm > 1e-8 * fresh || attempt > 8)
                {
                    break;
                }
            }
            r[j * count + j] = 0;
            Blas1.Scale(1.0 / norm, column);
        }
        return r;
    }

    private static void ProjectOut(Span<double> columns, int length, int previous, Span<double> column, Span<double> r, int j, int count)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < previous; i++)
            {
                ReadOnlySpan<double> q = columns.Slice(i * length, length);
                double projection = Blas1.Dot(q, column);
                Blas1.Axpy(-projection, q, column);
                r[i * count + j] += projection;
            }
        }
    }
}
