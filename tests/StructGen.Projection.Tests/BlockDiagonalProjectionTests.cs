using System;
using StructGen.Projection.Tests.Oracle;

namespace StructGen.Projection.Tests;

public sealed class BlockDiagonalProjectionTests
{
    [Theory]
    [InlineData(12, 8, 4, 3, 2)]
    [InlineData(10, 7, 3, 4, 3)] // padded: Out' = 12, In' = 9
    [InlineData(3, 5, 4, 1, 2)]  // more blocks than rows
    public void A_block_diagonal_matrix_is_recovered(int outFeatures, int inFeatures, int blocks, int o, int p)
    {
        float[] weight = TestMatrices.Uniform(blocks * o * p, seed: 1);
        float[] w = TestMatrices.ToSingle(StructureFormulas.BlockDiagonal(weight, outFeatures, inFeatures, blocks));

        ProjectedStructure result = BlockDiagonalProjection.Project(w, outFeatures, inFeatures, blocks);

        Assert.Equal($"blockdiag(blocks: {blocks})", result.Description);
        Assert.Equal([blocks, o, p], result["weight"].Shape);
        double[] rebuilt = StructureFormulas.BlockDiagonal(result["weight"].Data, outFeatures, inFeatures, blocks);
        Assert.Equal(0.0, Frobenius.RelativeError(w, rebuilt), 1e-7);
    }

    [Theory]
    [InlineData(12, 8, 4)]
    [InlineData(10, 7, 3)]
    public void Error_is_the_norm_of_everything_off_the_blocks(int outFeatures, int inFeatures, int blocks)
    {
        float[] w = TestMatrices.Uniform(outFeatures * inFeatures, seed: 2);
        int o = (outFeatures + blocks - 1) / blocks;
        int p = (inFeatures + blocks - 1) / blocks;
        double off = 0;
        for (int i = 0; i < outFeatures; i++)
        {
            for (int j = 0; j < inFeatures; j++)
            {
                if (i / o != j / p)
                {
                    off += (double)w[i * inFeatures + j] * w[i * inFeatures + j];
                }
            }
        }

        ProjectedStructure result = BlockDiagonalProjection.Project(w, outFeatures, inFeatures, blocks);

        double distance = Frobenius.Distance(w, StructureFormulas.BlockDiagonal(result["weight"].Data, outFeatures, inFeatures, blocks));
        Assert.Equal(Math.Sqrt(off), distance, 1e-6);
    }

    [Fact]
    public void Padding_entries_are_zero()
    {
        float[] w = TestMatrices.Uniform(5 * 5, seed: 3);

        ProjectedStructure result = BlockDiagonalProjection.Project(w, 5, 5, 2); // [2, 3, 3]

        float[] weight = result["weight"].Data;
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(0f, weight[(1 * 3 + 2) * 3 + j]); // row 5 of W does not exist
        }
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0f, weight[(1 * 3 + i) * 3 + 2]); // column 5 does not exist
        }
    }
}
