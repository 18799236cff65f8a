using System;
using System.Linq;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

// Gradient rows of 64 floats or more (the blocks of w), updated row by row when a call has one row.
[BlockDiagonal(blocks: 4, In = 256, Out = 256)] public partial class BlockDiagonalRankOne256;

[Monarch(blocks: 4, In = 256, Out = 256)] public partial class MonarchRankOne256;

[LowRank(r: 8, In = 128, Out = 64)] public partial class LowRankRankOne128;

[BLAST(blocks: 2, r: 8, In = 128, Out = 128)] public partial class BlastRankOne128;

/// <summary>
/// A one-row backward adds its parameter gradients as rank-1 updates, each gradient row in memory order: exactly what the
/// blocked update of a two-row call gives when the second row's output gradient is zero (every element gets the same
/// single FMA, and a zero row adds exactly nothing); its parameter gradients agree with central differences and its
/// input gradient with the dense reconstruction.
/// </summary>
public class RankOneGradientTests
{
    [Theory]
    [InlineData("blockdiag")]
    [InlineData("monarch")]
    [InlineData("lowrank")]
    [InlineData("blast")]
    public void A_one_row_backward_gives_the_bits_of_the_blocked_update(string structure)
    {
        IStructuredLinear one = Create(structure), two = Create(structure);
        one.Parameters.CopyTo(two.Parameters);
        int n = one.InFeatures, m = one.OutFeatures;
        float[] x = LayerCatalog.Random(2 * n, 81), dy = LayerCatalog.Random(2 * m, 83);
        Array.Clear(dy, m, m); // the second row adds nothing

        one.ZeroGradients();
        var dx = new float[n];
        one.Backward(x.AsSpan(0, n), dy.AsSpan(0, m), dx, 1);
        Tolerance.Close(GradientOracle.InputGradient(one, dy.AsSpan(0, m).ToArray(), 1), dx, 1e-5, $"{structure} ∂x");

        // The rank-1 update itself against central differences of the dense reconstruction in double precision.
        GradientOracle.CheckParameterGradients(one, x.AsSpan(0, n).ToArray(), dy.AsSpan(0, m).ToArray(), 1, one.Gradients.ToArray(), 12, 89, $"{structure}, batch 1");

        two.ZeroGradients();
        two.Backward(x, dy, new float[2 * n], 2);
        float[] expected = two.Gradients.ToArray(), actual = one.Gradients.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{structure} gradient {i}: {actual[i]} at batch 1 against {expected[i]} at batch 2");
        }
        Assert.Contains(actual, g => g != 0f);
    }

    private static IStructuredLinear Create(string structure) => structure switch
    {
        "blockdiag" => new BlockDiagonalRankOne256(),
        "monarch" => new MonarchRankOne256(),
        "lowrank" => new LowRankRankOne128(),
        _ => new BlastRankOne128(),
    };
}
