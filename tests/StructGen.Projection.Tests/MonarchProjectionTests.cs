using System;
using StructGen.Projection.Tests.Oracle;

namespace StructGen.Projection.Tests;

public sealed class MonarchProjectionTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 16, 16, 4 },  // square, q = K: the paper's block-wise rank-1 case
        { 32, 32, 4 },  // square, q = 8 = 2K: two rank-1 terms per block pair
        { 24, 12, 3 },  // In < Out
        { 12, 24, 4 },  // In > Out
        { 14, 10, 4 },  // padded, In' = 12 < Out' = 16
        { 9, 15, 4 },   // padded, In' = 16 > Out' = 12
        { 10, 10, 3 },  // padded square
        { 5, 3, 4 },    // more blocks than features
        { 6, 8, 1 },    // one block: dense
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Tensors_have_the_shapes_of_STRUCTURES(int outFeatures, int inFeatures, int blocks)
    {
        (int[] shape1, int[] shape2) = StructureFormulas.MonarchShapes(outFeatures, inFeatures, blocks);

        ProjectedStructure result = MonarchProjection.Project(TestMatrices.Uniform(outFeatures * inFeatures, 1), outFeatures, inFeatures, blocks);

        Assert.Equal($"monarch(blocks: {blocks})", result.Description);
        Assert.Equal("blkdiag1", result.Tensors[0].Name);
        Assert.Equal("blkdiag2", result.Tensors[1].Name);
        Assert.Equal(shape1, result["blkdiag1"].Shape);
        Assert.Equal(shape2, result["blkdiag2"].Shape);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_Monarch_matrix_is_recovered(int outFeatures, int inFeatures, int blocks)
    {
        (int[] shape1, int[] shape2) = StructureFormulas.MonarchShapes(outFeatures, inFeatures, blocks);
        float[] f1 = TestMatrices.Uniform(shape1[0] * shape1[1] * shape1[2], seed: 10 + outFeatures);
        float[] f2 = TestMatrices.Uniform(shape2[0] * shape2[1] * shape2[2], seed: 20 + inFeatures);
        float[] w = TestMatrices.ToSingle(StructureFormulas.Monarch(f1, shape1, f2, shape2, outFeatures, inFeatures));

        ProjectedStructure result = MonarchProjection.Project(w, outFeatures, inFeatures, blocks);

        double[] rebuilt = StructureFormulas.Monarch(result["blkdiag1"].Data, shape1, result["blkdiag2"].Data, shape2, outFeatures, inFeatures);
        double error = Frobenius.RelativeError(w, rebuilt);
        Assert.True(error < 1e-5, $"relative error {error}");
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(32, 64)]
    [InlineData(64, 32)]
    public void Error_decreases_as_fewer_blocks_enlarge_the_class(int outFeatures, int inFeatures)
    {
        float[] w = TestMatrices.Uniform(outFeatures * inFeatures, seed: 3);
        double previous = double.PositiveInfinity;
        foreach (int blocks in new[] { 8, 4, 2, 1 })
        {
            (int[] shape1, int[] shape2) = StructureFormulas.MonarchShapes(outFeatures, inFeatures, blocks);
            ProjectedStructure result = MonarchProjection.Project(w, outFeatures, inFeatures, blocks);
            double error = Frobenius.RelativeError(w, StructureFormulas.Monarch(result["blkdiag1"].Data, shape1, result["blkdiag2"].Data, shape2, outFeatures, inFeatures));
            Assert.True(error < previous, $"{blocks} blocks: {error} ≥ {previous}");
            previous = error;
        }
        Assert.True(previous < 1e-5, $"one block (dense) error {previous}");
    }

    [Theory]
    [InlineData(16, 16, 4)]
    [InlineData(12, 24, 4)]
    public void The_projection_is_a_local_minimum_of_the_error(int outFeatures, int inFeatures, int blocks)
    {
        // Independent of the method: no small move of any parameter may lower the error.
        float[] w = TestMatrices.Uniform(outFeatures * inFeatures, seed: 17);
        (int[] shape1, int[] shape2) = StructureFormulas.MonarchShapes(outFeatures, inFeatures, blocks);
        ProjectedStructure result = MonarchProjection.Project(w, outFeatures, inFeatures, blocks);
        float[] f1 = result["blkdiag1"].Data;
        float[] f2 = result["blkdiag2"].Data;
        double best = Frobenius.Distance(w, StructureFormulas.Monarch(f1, shape1, f2, shape2, outFeatures, inFeatures));

        var random = new Random(5);
        for (int trial = 0; trial < 20; trial++)
        {
            foreach (double step in new[] { 1e-2, -1e-2 })
            {
                float[] g1 = Perturb(f1, random, step, trial);
                float[] g2 = Perturb(f2, new Random(trial), step, trial);
                double moved = Frobenius.Distance(w, StructureFormulas.Monarch(g1, shape1, g2, shape2, outFeatures, inFeatures));
                Assert.True(moved >= best - 1e-6, $"trial {trial}: {moved} < {best}");
            }
        }
    }

    [Fact]
    public void A_larger_Monarch_matrix_is_recovered()
    {
        // 2 blocks of 128: each block pair is a 128 × 128 sub-matrix of rank 64.
        int n = 256, blocks = 2;
        (int[] shape1, int[] shape2) = StructureFormulas.MonarchShapes(n, n, blocks);
        float[] f1 = TestMatrices.Uniform(shape1[0] * shape1[1] * shape1[2], seed: 1);
        float[] f2 = TestMatrices.Uniform(shape2[0] * shape2[1] * shape2[2], seed: 2);
        float[] w = TestMatrices.ToSingle(StructureFormulas.Monarch(f1, shape1, f2, shape2, n, n));

        ProjectedStructure result = MonarchProjection.Project(w, n, n, blocks);

        double error = Frobenius.RelativeError(w, StructureFormulas.Monarch(result["blkdiag1"].Data, shape1, result["blkdiag2"].Data, shape2, n, n));
        Assert.True(error < 1e-5, $"relative error {error}");
    }

    private static float[] Perturb(float[] values, Random random, double step, int trial)
    {
        var moved = (float[])values.Clone();
        for (int i = 0; i < moved.Length; i++)
        {
            moved[i] += (float)(step * (2 * random.NextDouble() - 1) * (i % (trial + 2) == 0 ? 1 : 0.1));
        }
        return moved;
    }
}
