using System;

namespace StructGen.Projection.Tests.Oracle;

/// <summary>Seeded random matrices for the tests, built here so they do not depend on the code under test.</summary>
internal static class TestMatrices
{
    /// <summary>Uniform values in [-1, 1).</summary>
    public static float[] Uniform(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(2 * random.NextDouble() - 1);
        }
        return values;
    }

    /// <summary>Standard normal values (Box–Muller).</summary>
    public static double[] Gaussian(int length, Random random)
    {
        var values = new double[length];
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return values;
    }

    /// <summary><paramref name="count"/> orthonormal columns of length <paramref name="length"/>, column-major (column j at j·length), by classical Gram–Schmidt twice.</summary>
    public static double[] OrthonormalColumns(int length, int count, Random random)
    {
        double[] q = Gaussian(length * count, random);
        for (int j = 0; j < count; j++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < j; i++)
                {
                    double dot = 0;
                    for (int t = 0; t < length; t++)
                    {
                        dot += q[i * length + t] * q[j * length + t];
                    }
                    for (int t = 0; t < length; t++)
                    {
                        q[j * length + t] -= dot * q[i * length + t];
                    }
                }
            }
            double norm = 0;
            for (int t = 0; t < length; t++)
            {
                norm += q[j * length + t] * q[j * length + t];
            }
            norm = Math.Sqrt(norm);
            for (int t = 0; t < length; t++)
            {
                q[j * length + t] /= norm;
            }
        }
        return q;
    }

    /// <summary>A matrix with the given spectrum: <c>U·diag(s)·Vᵀ</c>, U and V random orthonormal. Returns U and V too (column-major).</summary>
    public static (double[] Matrix, double[] U, double[] V) WithSpectrum(int rows, int columns, double[] s, int seed)
    {
        var random = new Random(seed);
        double[] u = OrthonormalColumns(rows, s.Length, random);
        double[] v = OrthonormalColumns(columns, s.Length, random);
        var m = new double[rows * columns];
        for (int t = 0; t < s.Length; t++)
        {
            for (int i = 0; i < rows; i++)
            {
                double scaled = s[t] * u[t * rows + i];
                for (int j = 0; j < columns; j++)
                {
                    m[i * columns + j] += scaled * v[t * columns + j];
                }
            }
        }
        return (m, u, v);
    }

    public static float[] ToSingle(double[] values) => Array.ConvertAll(values, v => (float)v);

    public static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
