using System;

namespace StructGen.Projection.Tests.Oracle;

/// <summary>
/// Eigenvalues of a symmetric matrix by the classical two-sided cyclic Jacobi method, written for the tests
/// so singular values can be checked (as square roots of the eigenvalues of MᵀM) without the production SVD.
/// </summary>
internal static class SymmetricEigenvalues
{
    public static double[] Of(double[] symmetric, int n)
    {
        var a = (double[])symmetric.Clone();
        double total = 0;
        foreach (double x in a)
        {
            total += x * x;
        }
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    off += a[p * n + q] * a[p * n + q];
                }
            }
            if (off <= 1e-32 * total)
            {
                break;
            }
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (Math.Abs(apq) < 1e-300)
                    {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1);
                    double s = t * c;
                    // A ← Jᵀ A J with J the rotation in the (p, q) plane.
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p];
                        double akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k];
                        double aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                }
            }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = a[i * n + i];
        }
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }

    /// <summary>Singular values of an <c>[rows, columns]</c> matrix, largest first: √eig(MᵀM) (or MMᵀ, the smaller).</summary>
    public static double[] SingularValues(double[] m, int rows, int columns)
    {
        bool wide = columns > rows;
        int n = wide ? rows : columns;
        var gram = new double[n * n];
        for (int p = 0; p < n; p++)
        {
            for (int q = 0; q < n; q++)
            {
                double sum = 0;
                int other = wide ? columns : rows;
                for (int k = 0; k < other; k++)
                {
                    sum += wide ? m[p * columns + k] * m[q * columns + k] : m[k * columns + p] * m[k * columns + q];
                }
                gram[p * n + q] = sum;
            }
        }
        double[] eig = Of(gram, n);
        return Array.ConvertAll(eig, e => Math.Sqrt(Math.Max(e, 0)));
    }
}
