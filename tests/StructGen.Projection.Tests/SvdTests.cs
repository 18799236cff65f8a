using System;
using StructGen.Projection.Tests.Oracle;

namespace StructGen.Projection.Tests;

/// <summary>JacobiSvd, RandomizedSvd and TruncatedSvd against matrices built with a known spectrum.</summary>
public sealed class SvdTests
{
    [Theory]
    [InlineData(12, 7)]
    [InlineData(5, 11)]
    [InlineData(9, 9)]
    [InlineData(1, 6)]
    [InlineData(6, 1)]
    public void Jacobi_recovers_a_constructed_decomposition(int rows, int columns)
    {
        int k = Math.Min(rows, columns);
        double[] s = new double[k];
        for (int t = 0; t < k; t++)
        {
            s[t] = 10.0 / (t + 1); // distinct, so the vectors are determined up to sign
        }
        (double[] m, double[] u, double[] v) = TestMatrices.WithSpectrum(rows, columns, s, seed: rows * 31 + columns);

        SingularValueDecomposition svd = JacobiSvd.Decompose(m, rows, columns);

        Assert.Equal(k, svd.Rank);
        for (int t = 0; t < k; t++)
        {
            Assert.Equal(s[t], svd.Values[t], 1e-12 * s[0]);
            Assert.Equal(1.0, Math.Abs(Dot(svd.LeftVector(t), u.AsSpan(t * rows, rows))), 1e-10);
            Assert.Equal(1.0, Math.Abs(Dot(svd.RightVector(t), v.AsSpan(t * columns, columns))), 1e-10);
        }
        AssertOrthonormal(svd, k);
        AssertReconstructs(svd, m, rows, columns, 1e-12);
    }

    [Fact]
    public void Jacobi_matches_independent_singular_values_of_a_random_matrix()
    {
        int rows = 14, columns = 10;
        double[] m = TestMatrices.ToDouble(TestMatrices.Uniform(rows * columns, seed: 3));
        double[] expected = SymmetricEigenvalues.SingularValues(m, rows, columns);

        SingularValueDecomposition svd = JacobiSvd.Decompose(m, rows, columns);

        for (int t = 0; t < columns; t++)
        {
            Assert.Equal(expected[t], svd.Values[t], 1e-10);
        }
        AssertReconstructs(svd, m, rows, columns, 1e-12);
    }

    [Fact]
    public void Jacobi_completes_the_vectors_of_zero_singular_values_to_an_orthonormal_set()
    {
        (double[] m, _, _) = TestMatrices.WithSpectrum(8, 5, [3.0, 2.0], seed: 11); // rank 2 of 5

        SingularValueDecomposition svd = JacobiSvd.Decompose(m, 8, 5);

        Assert.Equal(5, svd.Rank);
        Assert.Equal(3.0, svd.Values[0], 1e-12);
        Assert.Equal(2.0, svd.Values[1], 1e-12);
        for (int t = 2; t < 5; t++)
        {
            Assert.True(svd.Values[t] < 1e-13, $"σ{t} = {svd.Values[t]}");
        }
        AssertOrthonormal(svd, 5);
    }

    [Fact]
    public void Jacobi_of_the_zero_matrix_has_zero_values_and_orthonormal_vectors()
    {
        SingularValueDecomposition svd = JacobiSvd.Decompose(new double[12], 4, 3);

        Assert.All(svd.Values.ToArray(), value => Assert.Equal(0.0, value));
        AssertOrthonormal(svd, 3);
    }

    [Fact]
    public void Randomized_finds_the_leading_triplets_of_a_large_matrix()
    {
        int rows = 220, columns = 150, k = 6;
        var s = new double[40];
        for (int t = 0; t < s.Length; t++)
        {
            s[t] = Math.Pow(0.8, t);
        }
        (double[] m, double[] u, double[] v) = TestMatrices.WithSpectrum(rows, columns, s, seed: 5);

        SingularValueDecomposition svd = RandomizedSvd.Decompose(m, rows, columns, k, seed: 1);

        Assert.Equal(k, svd.Rank);
        for (int t = 0; t < k; t++)
        {
            Assert.Equal(s[t], svd.Values[t], 1e-10);
            Assert.Equal(1.0, Math.Abs(Dot(svd.LeftVector(t), u.AsSpan(t * rows, rows))), 1e-8);
            Assert.Equal(1.0, Math.Abs(Dot(svd.RightVector(t), v.AsSpan(t * columns, columns))), 1e-8);
        }
        AssertOrthonormal(svd, k);
    }

    [Fact]
    public void Randomized_handles_a_matrix_of_lower_rank_than_its_sketch()
    {
        (double[] m, _, _) = TestMatrices.WithSpectrum(120, 100, [5.0, 4.0, 3.0], seed: 8);

        SingularValueDecomposition svd = RandomizedSvd.Decompose(m, 120, 100, 5, seed: 2);

        Assert.Equal(5.0, svd.Values[0], 1e-12);
        Assert.Equal(4.0, svd.Values[1], 1e-12);
        Assert.Equal(3.0, svd.Values[2], 1e-12);
        Assert.True(svd.Values[3] < 1e-12 && svd.Values[4] < 1e-12);
        AssertOrthonormal(svd, 5);
    }

    [Fact]
    public void Randomized_is_deterministic_for_a_seed()
    {
        double[] m = TestMatrices.ToDouble(TestMatrices.Uniform(130 * 110, seed: 4));

        SingularValueDecomposition first = RandomizedSvd.Decompose(m, 130, 110, 3, seed: 9, maxIterations: 5);
        SingularValueDecomposition second = RandomizedSvd.Decompose(m, 130, 110, 3, seed: 9, maxIterations: 5);

        Assert.Equal(first.Values.ToArray(), second.Values.ToArray());
        Assert.Equal(first.LeftVector(2).ToArray(), second.LeftVector(2).ToArray());
    }

    [Fact]
    public void Truncated_returns_at_most_the_smaller_side_and_agrees_across_paths()
    {
        (double[] m, _, _) = TestMatrices.WithSpectrum(7, 4, [4.0, 3.0, 2.0, 1.0], seed: 12);
        Assert.Equal(4, TruncatedSvd.Decompose(m, 7, 4, rank: 10).Rank);

        // 8·(2 + 10) ≤ 140 < 150: the randomized path; a decaying spectrum keeps it short.
        var s = new double[140];
        for (int t = 0; t < s.Length; t++)
        {
            s[t] = Math.Pow(0.7, t);
        }
        double[] big = TestMatrices.WithSpectrum(150, 140, s, seed: 6).Matrix;
        SingularValueDecomposition randomized = TruncatedSvd.Decompose(big, 150, 140, rank: 2);
        SingularValueDecomposition exact = JacobiSvd.Decompose(big, 150, 140);
        Assert.Equal(2, randomized.Rank);
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(s[t], exact.Values[t], 1e-12);
            Assert.Equal(exact.Values[t], randomized.Values[t], 1e-10);
        }
    }

    [Fact]
    public void Factorizations_reject_wrong_sizes_and_non_finite_values()
    {
        var wrongLength = Assert.Throws<ArgumentException>(() => JacobiSvd.Decompose(new double[5], 2, 3));
        Assert.Equal("matrix", wrongLength.ParamName);
        Assert.Contains("2·3 = 6", wrongLength.Message, StringComparison.Ordinal);

        var nan = Assert.Throws<ArgumentException>(() => JacobiSvd.Decompose([1, double.NaN], 1, 2));
        Assert.Contains("NaN", nan.Message, StringComparison.Ordinal);

        var rank = Assert.Throws<ArgumentOutOfRangeException>(() => RandomizedSvd.Decompose(new double[6], 2, 3, 3));
        Assert.Equal("rank", rank.ParamName);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void AssertOrthonormal(SingularValueDecomposition svd, int k)
    {
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++)
            {
                double expected = a == b ? 1 : 0;
                Assert.Equal(expected, Dot(svd.LeftVector(a), svd.LeftVector(b)), 1e-10);
                Assert.Equal(expected, Dot(svd.RightVector(a), svd.RightVector(b)), 1e-10);
            }
        }
    }

    private static void AssertReconstructs(SingularValueDecomposition svd, double[] m, int rows, int columns, double tolerance)
    {
        double norm = Frobenius.Norm(m);
        double error = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double sum = 0;
                for (int t = 0; t < svd.Rank; t++)
                {
                    sum += svd.Values[t] * svd.LeftVector(t)[i] * svd.RightVector(t)[j];
                }
                error += (sum - m[i * columns + j]) * (sum - m[i * columns + j]);
            }
        }
        Assert.True(Math.Sqrt(error) <= tolerance * norm, $"‖M − UΣVᵀ‖ = {Math.Sqrt(error)}");
    }
}
