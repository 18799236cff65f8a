using System;
using StructGen.Projection.Tests.Oracle;

namespace StructGen.Projection.Tests;

public sealed class LowRankProjectionTests
{
    [Fact]
    public void Tensors_are_named_and_shaped_as_STRUCTURES()
    {
        ProjectedStructure result = LowRankProjection.Project(TestMatrices.Uniform(6 * 9, 1), 6, 9, rank: 2);

        Assert.Equal("lowrank(r: 2)", result.Description);
        Assert.Equal(["A", "B"], Array.ConvertAll([.. result.Tensors], t => t.Name));
        Assert.Equal([2, 9], result["A"].Shape);
        Assert.Equal([6, 2], result["B"].Shape);
    }

    [Theory]
    [InlineData(10, 7, 3)]
    [InlineData(5, 12, 2)]
    [InlineData(180, 140, 4)] // large enough for the randomized path
    public void A_low_rank_matrix_is_recovered(int outFeatures, int inFeatures, int rank)
    {
        var spectrum = new double[rank];
        for (int t = 0; t < rank; t++)
        {
            spectrum[t] = rank - t;
        }
        float[] w = TestMatrices.ToSingle(TestMatrices.WithSpectrum(outFeatures, inFeatures, spectrum, seed: 7).Matrix);

        ProjectedStructure result = LowRankProjection.Project(w, outFeatures, inFeatures, rank);

        double[] rebuilt = StructureFormulas.LowRank(result["A"].Data, result["B"].Data, outFeatures, inFeatures, rank);
        Assert.True(Frobenius.RelativeError(w, rebuilt) < 1e-5, $"error {Frobenius.RelativeError(w, rebuilt)}");
    }

    [Fact]
    public void Error_is_the_tail_of_a_constructed_spectrum()
    {
        int outFeatures = 12, inFeatures = 9;
        double[] s = [9, 7, 5, 3, 2, 1, 0.5, 0.25, 0.125];
        float[] w = TestMatrices.ToSingle(TestMatrices.WithSpectrum(outFeatures, inFeatures, s, seed: 21).Matrix);

        for (int rank = 1; rank < s.Length; rank++)
        {
            ProjectedStructure result = LowRankProjection.Project(w, outFeatures, inFeatures, rank);
            double[] rebuilt = StructureFormulas.LowRank(result["A"].Data, result["B"].Data, outFeatures, inFeatures, rank);

            double tail = 0;
            for (int t = rank; t < s.Length; t++)
            {
                tail += s[t] * s[t];
            }
            // w was rounded to float: allow that rounding (≈1e-7·‖W‖) on top of the exact tail.
            Assert.Equal(Math.Sqrt(tail), Frobenius.Distance(w, rebuilt), 1e-5);
        }
    }

    [Theory]
    [InlineData(11, 8)]
    [InlineData(6, 13)]
    public void Error_is_the_tail_of_independently_computed_singular_values(int outFeatures, int inFeatures)
    {
        float[] w = TestMatrices.Uniform(outFeatures * inFeatures, seed: outFeatures);
        double[] sigma = SymmetricEigenvalues.SingularValues(TestMatrices.ToDouble(w), outFeatures, inFeatures);

        for (int rank = 1; rank <= sigma.Length; rank++)
        {
            ProjectedStructure result = LowRankProjection.Project(w, outFeatures, inFeatures, rank);
            double[] rebuilt = StructureFormulas.LowRank(result["A"].Data, result["B"].Data, outFeatures, inFeatures, rank);
            double tail = 0;
            for (int t = rank; t < sigma.Length; t++)
            {
                tail += sigma[t] * sigma[t];
            }
            Assert.Equal(Math.Sqrt(tail), Frobenius.Distance(w, rebuilt), 1e-5);
        }
    }

    [Fact]
    public void Randomized_path_reaches_the_optimal_error()
    {
        int outFeatures = 200, inFeatures = 140, rank = 6; // randomized path: 8·(6 + 10) ≤ 140
        var s = new double[60];
        for (int t = 0; t < s.Length; t++)
        {
            s[t] = Math.Pow(0.85, t);
        }
        float[] w = TestMatrices.ToSingle(TestMatrices.WithSpectrum(outFeatures, inFeatures, s, seed: 4).Matrix);
        double tail = 0;
        for (int t = rank; t < s.Length; t++)
        {
            tail += s[t] * s[t];
        }

        ProjectedStructure result = LowRankProjection.Project(w, outFeatures, inFeatures, rank);

        double[] rebuilt = StructureFormulas.LowRank(result["A"].Data, result["B"].Data, outFeatures, inFeatures, rank);
        Assert.Equal(Math.Sqrt(tail), Frobenius.Distance(w, rebuilt), 1e-4);
    }

    [Fact]
    public void Error_decreases_strictly_as_the_rank_grows_and_vanishes_at_full_rank()
    {
        int outFeatures = 10, inFeatures = 8;
        float[] w = TestMatrices.Uniform(outFeatures * inFeatures, seed: 2);
        double previous = double.PositiveInfinity;
        for (int rank = 1; rank <= inFeatures; rank++)
        {
            ProjectedStructure result = LowRankProjection.Project(w, outFeatures, inFeatures, rank);
            double error = Frobenius.RelativeError(w, StructureFormulas.LowRank(result["A"].Data, result["B"].Data, outFeatures, inFeatures, rank));
            Assert.True(error < previous, $"rank {rank}: {error} ≥ {previous}");
            previous = error;
        }
        Assert.True(previous < 1e-6, $"full rank error {previous}");
    }

    [Fact]
    public void Rank_above_the_smaller_side_is_exact_with_zero_surplus()
    {
        float[] w = TestMatrices.Uniform(4 * 3, seed: 5);

        ProjectedStructure result = LowRankProjection.Project(w, 4, 3, rank: 5);

        Assert.Equal([5, 3], result["A"].Shape);
        Assert.True(Frobenius.RelativeError(w, StructureFormulas.LowRank(result["A"].Data, result["B"].Data, 4, 3, 5)) < 1e-6);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(0f, result["A"].Data[3 * 3 + j]);
            Assert.Equal(0f, result["A"].Data[4 * 3 + j]);
        }
    }

    [Fact]
    public void Singular_values_are_split_evenly_between_the_factors()
    {
        int outFeatures = 9, inFeatures = 7, rank = 3;
        ProjectedStructure result = LowRankProjection.Project(TestMatrices.Uniform(outFeatures * inFeatures, 8), outFeatures, inFeatures, rank);

        for (int t = 0; t < rank; t++)
        {
            double rowOfA = 0, columnOfB = 0;
            for (int j = 0; j < inFeatures; j++)
            {
                rowOfA += result["A"].Data[t * inFeatures + j] * (double)result["A"].Data[t * inFeatures + j];
            }
            for (int i = 0; i < outFeatures; i++)
            {
                columnOfB += result["B"].Data[i * rank + t] * (double)result["B"].Data[i * rank + t];
            }
            Assert.Equal(Math.Sqrt(rowOfA), Math.Sqrt(columnOfB), 1e-5);
        }
    }
}
