using System;
using System.Linq;
using StructGen.Kernels;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

/// <summary>
/// Monarch's second factor in lanes of <c>l</c> (<see cref="MonarchLanes"/>): the re-layout puts each group's elements
/// side by side, the product equals its definition in double precision (tails of rows and outputs included, with and
/// without bias, with ordinary and with streaming stores), and a layer whose calls take the lane path gives its dense reconstruction and exactly the bits of the
/// permutation path (a call too small for lanes), keeps the same v in its training forward, on one thread and on two.
/// </summary>
public class MonarchLanesTests
{
    [Fact]
    public void Relayout_puts_the_elements_of_each_group_of_blocks_side_by_side()
    {
        int width = MonarchLanes.Width;
        if (width == 0)
        {
            Assert.False(MonarchLanes.Applies(16));
            return;
        }
        int blocks = 2 * width, outputs = 3, inputs = 5;
        float[] w2 = LayerCatalog.Random(blocks * outputs * inputs, 1);
        float[] lanes = new float[w2.Length];
        MonarchLanes.Relayout(ref w2[0], ref lanes[0], blocks, outputs, inputs);
        for (int l = 0; l < blocks; l++)
        {
            for (int s = 0; s < outputs; s++)
            {
                for (int r = 0; r < inputs; r++)
                {
                    int g = l / width, i = l % width;
                    Assert.Equal(w2[(l * outputs + s) * inputs + r], lanes[((g * outputs + s) * inputs + r) * width + i]);
                }
            }
        }
        Assert.True(MonarchLanes.Applies(blocks));
        Assert.False(MonarchLanes.Applies(blocks + 1));
    }

    [Theory]
    [InlineData(7, 5, 3, false, false)]   // rows and outputs past the 4 × 4 blocks
    [InlineData(8, 8, 4, false, false)]   // whole blocks only
    [InlineData(9, 6, 7, true, false)]
    [InlineData(9, 6, 7, true, true)]     // streaming stores: a 64-byte aligned output whose rows are whole lines apart
    [InlineData(5, 4, 3, false, true)]
    public void The_lane_product_equals_its_definition(int rows, int outputs, int inputs, bool biased, bool stream)
    {
        int width = MonarchLanes.Width;
        if (width == 0)
        {
            return;
        }
        int blocks = 2 * width;
        nint ldu = blocks * inputs + 3;
        nint ldy = stream ? (blocks * outputs + 16 + 15) / 16 * 16 : blocks * outputs + 5;
        float[] u = LayerCatalog.Random(rows * (int)ldu, 2);
        float[] w2 = LayerCatalog.Random(blocks * outputs * inputs, 3);
        float[] bias = LayerCatalog.Random(blocks * outputs, 4);
        float[] lanes = new float[w2.Length];
        MonarchLanes.Relayout(ref w2[0], ref lanes[0], blocks, outputs, inputs);
        float[] buffer = AlignedArray.Allocate(rows * (int)ldy);
        Span<float> y = AlignedArray.Span(buffer, rows * (int)ldy);
        y.Fill(float.NaN);
        if (biased)
        {
            MonarchLanes.SecondFactor(ref u[0], ldu, ref lanes[0], ref y[0], ldy, blocks, outputs, inputs, rows, stream, ref bias[0]);
        }
        else
        {
            MonarchLanes.SecondFactor(ref u[0], ldu, ref lanes[0], ref y[0], ldy, blocks, outputs, inputs, rows, stream);
        }
        for (int b = 0; b < rows; b++)
        {
            for (int d = 0; d < ldy; d++)
            {
                if (d >= blocks * outputs)
                {
                    Assert.True(float.IsNaN(y[(int)(b * ldy + d)]), $"row {b}: padding [{d}] was written");
                    continue;
                }
                int s = d / blocks, l = d % blocks;
                double expected = biased ? bias[d] : 0;
                for (int r = 0; r < inputs; r++)
                {
                    expected += (double)w2[(l * outputs + s) * inputs + r] * u[b * ldu + r * blocks + l];
                }
                Assert.True(Math.Abs(expected - y[(int)(b * ldy + d)]) <= 1e-5 * (1 + Math.Abs(expected)), $"row {b}, output {d}: {y[(int)(b * ldy + d)]} vs {expected}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_layer_on_the_lane_path_gives_its_dense_reconstruction_and_the_bits_of_the_permutation_path(bool biased)
    {
        // 16 blocks (R = 16); 515 rows: several tiles whatever TileRows is (≤ 128), and a last tile of 3 rows (under 8).
        const int batch = 515;
        IStructuredLinear one = biased ? new MonarchStreamedBiased256() : new MonarchStreamed256();
        IStructuredLinear two = biased ? new MonarchStreamedBiased256 { ThreadCount = 2 } : new MonarchStreamed256 { ThreadCount = 2 };
        one.Parameters.CopyTo(two.Parameters);
        var tensors = DenseOracle.Read(one, one.Parameters);
        tensors.TryGetValue("bias", out double[]? bias);
        double[] w = DenseOracle.Weight(one, tensors);
        float[] x = LayerCatalog.Random(batch * one.InFeatures, 21);
        double[] expected = DenseOracle.Forward(one, w, bias, x.Select(v => (double)v).ToArray(), batch);

        float[] lanes = new float[batch * one.OutFeatures];
        one.Forward(x, lanes, batch);
        Tolerance.Close(expected, lanes, 1e-5, "Monarch forward in lanes");

        // A call of 8 rows, fewer than R = 16, takes the permutation path, whose products sum in the same order.
        const int few = 8;
        float[] permuted = new float[few * one.OutFeatures];
        float[] permutedSaved = new float[few * one.SavedPerRow];
        one.Forward(x.AsSpan(0, few * one.InFeatures), permuted, few, permutedSaved);
        Assert.Equal(permuted, lanes.AsSpan(0, few * one.OutFeatures).ToArray());

        // The training forward of the large call (output not streamed at this size) runs in lanes too and still keeps v.
        float[] trained = new float[batch * one.OutFeatures];
        float[] saved = new float[batch * one.SavedPerRow];
        one.Forward(x, trained, batch, saved);
        Assert.Equal(lanes, trained);
        Assert.Equal(permutedSaved, saved.AsSpan(0, few * one.SavedPerRow).ToArray());

        float[] twoThreads = new float[batch * one.OutFeatures];
        two.Forward(x, twoThreads, batch);
        Assert.Equal(lanes, twoThreads);
    }
}
