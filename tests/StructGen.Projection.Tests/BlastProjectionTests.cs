using System;
using StructGen.Projection.Tests.Oracle;
using Xunit.Abstractions;

namespace StructGen.Projection.Tests;

public sealed class BlastProjectionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(16, 18, 2, 3, 3)]
    [InlineData(32, 32, 4, 4, 4)]
    [InlineData(24, 24, 3, 3, 2)]
    public void A_BLAST_matrix_is_recovered(int outFeatures, int inFeatures, int b1, int b2, int rank)
    {
        float[] b = TestMatrices.Uniform(outFeatures * rank, seed: 1);
        float[] c = TestMatrices.Uniform(rank * inFeatures, seed: 2);
        float[] d = TestMatrices.Uniform(b1 * b2 * rank, seed: 3);
        float[] w = TestMatrices.ToSingle(StructureFormulas.Blast(b, c, d, outFeatures, inFeatures, b1, b2, rank));

        ProjectedStructure result = BlastProjection.Project(w, outFeatures, inFeatures, b1, b2, rank);

        double error = Frobenius.RelativeError(w, StructureFormulas.Blast(result["B"].Data, result["C"].Data, result["D"].Data, outFeatures, inFeatures, b1, b2, rank));
        output.WriteLine($"BLAST {outFeatures}x{inFeatures}, {b1}x{b2} blocks, rank {rank}: relative error {error:E2}");
        Assert.True(error < 1e-3, $"relative error {error}");
    }

    [Fact]
    public void Tensors_are_named_and_shaped_as_STRUCTURES()
    {
        ProjectedStructure square = BlastProjection.Project(TestMatrices.Uniform(8 * 12, 1), 8, 12, blocks: 2, rank: 3);
        Assert.Equal("blast(blocks: 2, r: 3)", square.Description);
        Assert.Equal(["B", "C", "D"], Array.ConvertAll([.. square.Tensors], t => t.Name));
        Assert.Equal([2, 4, 3], square["B"].Shape);
        Assert.Equal([2, 3, 6], square["C"].Shape);
        Assert.Equal([2, 2, 3], square["D"].Shape);

        ProjectedStructure grid = BlastProjection.Project(TestMatrices.Uniform(8 * 12, 1), 8, 12, rowBlocks: 4, columnBlocks: 3, rank: 2);
        Assert.Equal("blast(rows: 4, columns: 3, r: 2)", grid.Description);
        Assert.Equal([4, 2, 2], grid["B"].Shape);
        Assert.Equal([3, 2, 4], grid["C"].Shape);
        Assert.Equal([4, 3, 2], grid["D"].Shape);
    }

    [Fact]
    public void One_block_is_the_optimal_low_rank_approximation()
    {
        int outFeatures = 10, inFeatures = 8;
        float[] w = TestMatrices.Uniform(outFeatures * inFeatures, seed: 4);
        double[] sigma = SymmetricEigenvalues.SingularValues(TestMatrices.ToDouble(w), outFeatures, inFeatures);

        for (int rank = 1; rank <= 4; rank++)
        {
            ProjectedStructure result = BlastProjection.Project(w, outFeatures, inFeatures, blocks: 1, rank);
            double tail = 0;
            for (int t = rank; t < sigma.Length; t++)
            {
                tail += sigma[t] * sigma[t];
            }
            double distance = Frobenius.Distance(w, StructureFormulas.Blast(result["B"].Data, result["C"].Data, result["D"].Data, outFeatures, inFeatures, 1, 1, rank));
            Assert.Equal(Math.Sqrt(tail), distance, 1e-5);
        }
    }

    [Fact]
    public void Error_decreases_as_the_rank_grows()
    {
        int n = 18, blocks = 3;
        float[] w = TestMatrices.Uniform(n * n, seed: 6);
        double previous = double.PositiveInfinity;
        for (int rank = 1; rank <= 6; rank++)
        {
            ProjectedStructure result = BlastProjection.Project(w, n, n, blocks, rank);
            double error = Frobenius.RelativeError(w, StructureFormulas.Blast(result["B"].Data, result["C"].Data, result["D"].Data, n, n, blocks, blocks, rank));
            output.WriteLine($"rank {rank}: {error:F4}");
            Assert.True(error < previous, $"rank {rank}: {error} ≥ {previous}");
            previous = error;
        }
    }

    [Fact]
    public void More_iterations_never_increase_the_error()
    {
        int n = 18, blocks = 3, rank = 3;
        float[] w = TestMatrices.Uniform(n * n, seed: 7);
        double previous = double.PositiveInfinity;
        foreach (int iterations in new[] { 0, 1, 2, 5, 20, 100 })
        {
            var options = new BlastProjectionOptions { MaxIterations = iterations, Tolerance = 0 };
            ProjectedStructure result = BlastProjection.Project(w, n, n, blocks, rank, options);
            double error = Frobenius.RelativeError(w, StructureFormulas.Blast(result["B"].Data, result["C"].Data, result["D"].Data, n, n, blocks, blocks, rank));
            output.WriteLine($"{iterations} iterations: {error:F6}");
            Assert.True(error <= previous + 1e-6, $"{iterations} iterations: {error} > {previous}");
            previous = error;
        }
    }

    [Fact]
    public void The_result_is_deterministic()
    {
        float[] w = TestMatrices.Uniform(12 * 12, seed: 8);

        ProjectedStructure first = BlastProjection.Project(w, 12, 12, 2, 2);
        ProjectedStructure second = BlastProjection.Project(w, 12, 12, 2, 2);

        Assert.Equal(first["B"].Data, second["B"].Data);
        Assert.Equal(first["C"].Data, second["C"].Data);
        Assert.Equal(first["D"].Data, second["D"].Data);
    }

    [Fact]
    public void Blocks_must_divide_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => BlastProjection.Project(new float[10 * 12], 10, 12, rowBlocks: 4, columnBlocks: 3, rank: 2));
        Assert.Equal("rowBlocks", error.ParamName);
        Assert.Contains("(10)", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => BlastProjection.Project(new float[10 * 12], 10, 12, rowBlocks: 2, columnBlocks: 5, rank: 2));
        Assert.Equal("columnBlocks", error.ParamName);

        Assert.Throws<ArgumentOutOfRangeException>(() => new BlastProjectionOptions { MaxIterations = -1 });
    }
}
