using System;
using StructGen.Projection.Tests.Fakes;
using StructGen.Projection.Tests.Oracle;

namespace StructGen.Projection.Tests;

/// <summary>Projector.Into recognises each layout of STRUCTURES.md and writes at each tensor's offset.</summary>
public sealed class ProjectorTests
{
    private const float Sentinel = 123.5f;

    [Fact]
    public void Monarch_layer_is_recognised_and_written()
    {
        (int[] s1, int[] s2) = StructureFormulas.MonarchShapes(12, 8, 4);
        var layer = WithBias(12, 8, ("blkdiag1", s1), ("blkdiag2", s2));
        float[] f1 = TestMatrices.Uniform(s1[0] * s1[1] * s1[2], 1);
        float[] f2 = TestMatrices.Uniform(s2[0] * s2[1] * s2[2], 2);
        float[] w = TestMatrices.ToSingle(StructureFormulas.Monarch(f1, s1, f2, s2, 12, 8));

        ProjectedStructure result = Projector.Into(layer, w);

        Assert.Equal("monarch(blocks: 4)", result.Description);
        double[] rebuilt = StructureFormulas.Monarch(layer.Tensor("blkdiag1"), s1, layer.Tensor("blkdiag2"), s2, 12, 8);
        Assert.True(Frobenius.RelativeError(w, rebuilt) < 1e-5);
        AssertBiasUntouched(layer);
    }

    [Fact]
    public void Low_rank_layer_is_recognised_and_written()
    {
        var layer = WithBias(6, 5, ("A", [2, 5]), ("B", [6, 2]));
        float[] w = TestMatrices.Uniform(30, 3);

        ProjectedStructure result = Projector.Into(layer, w);

        Assert.Equal(result["A"].Data, layer.Tensor("A"));
        Assert.Equal(result["B"].Data, layer.Tensor("B"));
        Assert.Equal(LowRankProjection.Project(w, 6, 5, 2)["B"].Data, layer.Tensor("B"));
        AssertBiasUntouched(layer);
    }

    [Fact]
    public void Kronecker_layer_is_recognised_and_written()
    {
        var layer = WithBias(6, 8, ("w1", [2, 4]), ("w2", [3, 2]));
        float[] a = TestMatrices.Uniform(8, 4);
        float[] b = TestMatrices.Uniform(6, 5);
        float[] w = TestMatrices.ToSingle(StructureFormulas.Kronecker(a, b, 2, 4, 3, 2));

        Projector.Into(layer, w);

        double[] rebuilt = StructureFormulas.Kronecker(layer.Tensor("w1"), layer.Tensor("w2"), 2, 4, 3, 2);
        Assert.True(Frobenius.RelativeError(w, rebuilt) < 1e-5);
        AssertBiasUntouched(layer);
    }

    [Fact]
    public void Blast_layer_is_recognised_and_written()
    {
        var layer = WithBias(8, 12, ("B", [2, 4, 3]), ("C", [3, 3, 4]), ("D", [2, 3, 3]));
        float[] w = TestMatrices.Uniform(96, 6);

        ProjectedStructure result = Projector.Into(layer, w);

        Assert.Equal("blast(rows: 2, columns: 3, r: 3)", result.Description);
        Assert.Equal(result["D"].Data, layer.Tensor("D"));
        AssertBiasUntouched(layer);
    }

    [Fact]
    public void Block_diagonal_and_dense_layers_are_told_apart_by_the_weight_rank()
    {
        float[] w = TestMatrices.Uniform(6 * 4, 7);

        var blockDiagonal = WithBias(6, 4, ("weight", [2, 3, 2]));
        Assert.Equal("blockdiag(blocks: 2)", Projector.Into(blockDiagonal, w).Description);
        Assert.Equal(w[0 * 4 + 1], blockDiagonal.Tensor("weight")[1]);
        Assert.Equal(w[3 * 4 + 2], blockDiagonal.Tensor("weight")[(1 * 3 + 0) * 2 + 0]);
        AssertBiasUntouched(blockDiagonal);

        var dense = new FakeLayer(6, 4, [("weight", [6, 4])]);
        Assert.Equal("dense", Projector.Into(dense, w).Description);
        Assert.Equal(w, dense.Tensor("weight"));
    }

    [Fact]
    public void Unknown_layouts_name_the_tensors_seen()
    {
        var layer = new FakeLayer(4, 4, [("weight", [4, 4]), ("lora_A", [2, 4]), ("lora_B", [4, 2])]);

        var error = Assert.Throws<ArgumentException>(() => Projector.Into(layer, new float[16]));

        Assert.Equal("layer", error.ParamName);
        Assert.Contains("weight [4, 4] @ 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("lora_A [2, 4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("lora_B [4, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_whose_shapes_disagree_with_STRUCTURES_is_rejected_before_writing()
    {
        // Low rank with A [2, 5] but B [6, 3]: the projection makes B [6, 2].
        var layer = new FakeLayer(6, 5, [("A", [2, 5]), ("B", [6, 3])]);
        layer.Parameters.Fill(Sentinel);

        var error = Assert.Throws<ArgumentException>(() => Projector.Into(layer, new float[30]));

        Assert.Contains("B [6, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("B [6, 2]", error.Message, StringComparison.Ordinal);
        Assert.All(layer.Parameters.ToArray(), value => Assert.Equal(Sentinel, value));
    }

    [Fact]
    public void Dense_of_the_wrong_length_is_rejected()
    {
        var layer = new FakeLayer(6, 5, [("A", [2, 5]), ("B", [6, 2])]);

        var error = Assert.Throws<ArgumentException>(() => Projector.Into(layer, new float[29]));

        Assert.Equal("dense", error.ParamName);
        Assert.Contains("6·5 = 30", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectionError_compares_the_layer_dense_form_with_the_reference()
    {
        var layer = new FakeLayer(5, 4, [("A", [1, 4]), ("B", [5, 1])],
            l => StructureFormulas.LowRank(l.Tensor("A"), l.Tensor("B"), 5, 4, 1));
        (double[] m, _, _) = TestMatrices.WithSpectrum(5, 4, [4.0, 3.0], seed: 1);
        float[] w = TestMatrices.ToSingle(m);

        Projector.Into(layer, w);

        Assert.Equal(3.0 / 5.0, ProjectionError.Relative(w, layer), 1e-6);
        Assert.Equal(0.0, ProjectionError.Relative(w, w));
    }

    private static FakeLayer WithBias(int outFeatures, int inFeatures, params (string Name, int[] Shape)[] tensors)
    {
        var layer = new FakeLayer(outFeatures, inFeatures, [.. tensors, ("bias", [outFeatures])]);
        layer.Parameters.Fill(Sentinel);
        return layer;
    }

    private static void AssertBiasUntouched(FakeLayer layer)
        => Assert.All(layer.Tensor("bias"), value => Assert.Equal(Sentinel, value));
}
