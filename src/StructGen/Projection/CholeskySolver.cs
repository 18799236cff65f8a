using System;

namespace StructGen.Projection;

/// <summary>
/// Solves small symmetric positive-definite systems <c>A·X = Y</c> by Cholesky factorization: the
/// <c>R × R</c> normal equations of the BLAST factor updates.
/// </summary>
internal static class CholeskySolver
{
    /// <summary>
    /// Overwrites <paramref name="rightHandSides"/> (<c>[n, count]</c>, row-major) with <c>A⁻¹·Y</c>.
    /// <paramref name="matrix"/> (<c>[n, n]</c>, row-major, symmetric) is overwritten by its factor.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="matrix"/> is not numerically positive definite (nothing is solved).</returns>
    public static bool TrySolve(Span<double> matrix, int n, Span<double> rightHandSides, int count)
    {
        // A = L·Lᵀ, L stored in the lower triangle.
        for (int j = 0; j < n; j++)
        {
            double diagonal = matrix[j * n + j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= matrix[j * n + k] * matrix[j * n + k];
            }
            if (!(diagonal > 0))
            {
                return false;
            }
            double pivot = Math.Sqrt(diagonal);
            matrix[j * n + j] = pivot;
            for (int i = j + 1; i < n; i++)
            {
                double sum = matrix[i * n + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= matrix[i * n + k] * matrix[j * n + k];
                }
                matrix[i * n + j] = sum / pivot;
            }
        }

        // L·Z = Y, then Lᵀ·X = Z, one row of right-hand sides at a time.
        for (int i = 0; i < n; i++)
        {
            Span<double> row = rightHandSides.Slice(i * count, count);
            for (int k = 0; k < i; k++)
            {
                Blas1.Axpy(-matrix[i * n + k], rightHandSides.Slice(k * count, count), row);
            }
            Blas1.Scale(1 / matrix[i * n + i], row);
        }
        for (int i = n - 1; i >= 0; i--)
        {
            Span<double> row = rightHandSides.Slice(i * count, count);
            for (int k = i + 1; k < n; k++)
            {
                Blas1.Axpy(-matrix[k * n + i], rightHandSides.Slice(k * count, count), row);
            }
            Blas1.Scale(1 / matrix[i * n + i], row);
        }
        return true;
    }
}
