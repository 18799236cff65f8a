using System;
using System.Collections.Generic;

namespace StructGen.Projection.Tests;

/// <summary>Every projection names the bad argument and says what it expected.</summary>
public sealed class ArgumentTests
{
    public static TheoryData<string> Projections => ["lowrank", "monarch", "kronecker", "blast", "blockdiag", "dense"];

    private static ProjectedStructure Run(string kind, float[] dense, int outFeatures, int inFeatures) => kind switch
    {
        "lowrank" => LowRankProjection.Project(dense, outFeatures, inFeatures, 2),
        "monarch" => MonarchProjection.Project(dense, outFeatures, inFeatures, 2),
        "kronecker" => KroneckerProjection.Project(dense, outFeatures, inFeatures, 2, 2, outFeatures / 2, inFeatures / 2),
        "blast" => BlastProjection.Project(dense, outFeatures, inFeatures, 2, 2),
        "blockdiag" => BlockDiagonalProjection.Project(dense, outFeatures, inFeatures, 2),
        _ => DenseProjection.Project(dense, outFeatures, inFeatures),
    };

    [Theory]
    [MemberData(nameof(Projections))]
    public void Wrong_dense_length_is_reported_with_the_expected_size(string kind)
    {
        var error = Assert.Throws<ArgumentException>(() => Run(kind, new float[15], 4, 4));
        Assert.Equal("dense", error.ParamName);
        Assert.Contains("4·4 = 16", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 15", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Projections))]
    public void Non_finite_weights_are_rejected(string kind)
    {
        var dense = new float[16];
        dense[6] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => Run(kind, dense, 4, 4));
        Assert.Equal("dense", error.ParamName);
        Assert.Contains("row 1, column 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_and_counts_must_be_positive()
    {
        Assert.Equal("outFeatures", Assert.Throws<ArgumentOutOfRangeException>(() => LowRankProjection.Project([], 0, 3, 1)).ParamName);
        Assert.Equal("rank", Assert.Throws<ArgumentOutOfRangeException>(() => LowRankProjection.Project(new float[4], 2, 2, 0)).ParamName);
        Assert.Equal("blocks", Assert.Throws<ArgumentOutOfRangeException>(() => MonarchProjection.Project(new float[4], 2, 2, 0)).ParamName);
        Assert.Equal("blocks", Assert.Throws<ArgumentOutOfRangeException>(() => BlockDiagonalProjection.Project(new float[4], 2, 2, -1)).ParamName);
        Assert.Equal("in1", Assert.Throws<ArgumentOutOfRangeException>(() => KroneckerProjection.Project(new float[4], 2, 2, 1, 0, 2, 2)).ParamName);
    }

    [Fact]
    public void A_missing_tensor_name_lists_those_there_are()
    {
        ProjectedStructure result = LowRankProjection.Project(new float[4], 2, 2, 1);
        var error = Assert.Throws<KeyNotFoundException>(() => result["C"]);
        Assert.Contains("A [1, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_projected_tensor_checks_its_data_against_its_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProjectedTensor("x", [2, 3], new float[5]));
        Assert.Equal("data", error.ParamName);
        Assert.Contains("6", error.Message, StringComparison.Ordinal);
    }
}
