using System;
using System.Linq;
using System.Runtime.Intrinsics.X86;
using StructGen.Kernels;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

// No bias, no padding, 16 outputs per second-factor block: its output permutation can stream.
[Monarch(blocks: 16, In = 256, Out = 256, Bias = false)] public partial class MonarchStreamed256;

// The same with a bias, which the output permutation then adds on the way out.
[Monarch(blocks: 16, In = 256, Out = 256)] public partial class MonarchStreamedBiased256;

/// <summary>
/// The output permutation written with streaming stores (<see cref="OutputStreaming"/>): the same values as the plain
/// transposition, the shapes and addresses it cannot stream falling back to ordinary stores, the bias added on the way
/// out, and a Monarch layer whose call is large enough to stream (with and without bias) still equal to its dense
/// reconstruction, on one thread and on two.
/// </summary>
public class StreamingOutputTests
{
    [Theory]
    [InlineData(64, 64)]
    [InlineData(16, 8)]
    [InlineData(48, 24)]
    [InlineData(20, 8)]   // a not a multiple of 16: ordinary stores
    [InlineData(16, 12)]  // c not a multiple of 8: ordinary stores
    public void Transposes_every_row_like_the_definition_and_touches_nothing_else(int a, int c)
    {
        const int rows = 3;
        int width = a * c, sourceStride = width + 5, destinationStride = width + 16;
        float[] source = LayerCatalog.Random(rows * sourceStride, a + c);
        foreach (int misalignment in new[] { 0, 4 })
        {
            float[] buffer = AlignedArray.Allocate(rows * destinationStride + misalignment);
            Span<float> destination = AlignedArray.Span(buffer, rows * destinationStride + misalignment).Slice(misalignment);
            destination.Fill(float.NaN);
            bool streamable = Avx.IsSupported && misalignment == 0 && a % 16 == 0 && c % 8 == 0;
            Assert.Equal(streamable, BlockTranspose.CanStream(ref destination[0], a, a, c));

            RowOps.TransposeInto(ref source[0], sourceStride, ref destination[0], destinationStride, a, c, width, rows, stream: true);

            for (int b = 0; b < rows; b++)
            {
                for (int j = 0; j < c; j++)
                {
                    for (int i = 0; i < a; i++)
                    {
                        Assert.Equal(source[b * sourceStride + i * c + j], destination[b * destinationStride + j * a + i]);
                    }
                }
                for (int k = width; k < destinationStride && b * destinationStride + k < destination.Length; k++)
                {
                    Assert.True(float.IsNaN(destination[b * destinationStride + k]), $"a {a}, c {c}: row {b} padding [{k}] was written");
                }
            }
        }
    }

    [Theory]
    [InlineData(64, 64, 0)]
    [InlineData(16, 8, 0)]
    [InlineData(16, 8, 4)]   // misaligned: ordinary stores, bias added per row
    [InlineData(20, 8, 0)]   // not whole 16 × 8 blocks: the same
    public void Adds_the_bias_on_the_way_out_streamed_or_not(int a, int c, int misalignment)
    {
        const int rows = 3;
        int width = a * c, destinationStride = width + 16;
        float[] source = LayerCatalog.Random(rows * width, a * c);
        float[] bias = LayerCatalog.Random(width, 5);
        float[] buffer = AlignedArray.Allocate(rows * destinationStride + misalignment);
        Span<float> destination = AlignedArray.Span(buffer, rows * destinationStride + misalignment).Slice(misalignment);
        destination.Fill(float.NaN);
        RowOps.TransposeInto(ref source[0], width, ref destination[0], destinationStride, a, c, width, rows, stream: true, ref bias[0]);
        for (int b = 0; b < rows; b++)
        {
            for (int d = 0; d < destinationStride; d++)
            {
                float expected = d < width ? source[b * width + (d % a) * c + d / a] + bias[d] : float.NaN;
                Assert.Equal(expected, destination[b * destinationStride + d]);
            }
        }
    }

    [Fact]
    public void A_padded_output_drops_its_padding_when_asked_to_stream()
    {
        // limit < a·c: the padded outputs are not written, which the streaming path (whole lines) cannot do.
        const int a = 16, c = 8, rows = 2, limit = 100;
        float[] source = LayerCatalog.Random(rows * a * c, 3);
        float[] buffer = AlignedArray.Allocate(rows * 112);
        Span<float> destination = AlignedArray.Span(buffer, rows * 112);
        destination.Fill(float.NaN);
        RowOps.TransposeInto(ref source[0], a * c, ref destination[0], 112, a, c, limit, rows, stream: true);
        for (int b = 0; b < rows; b++)
        {
            for (int d = 0; d < 112; d++)
            {
                float expected = d < limit ? source[b * a * c + (d % a) * c + d / a] : float.NaN;
                Assert.Equal(expected, destination[b * 112 + d]);
            }
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    // The inference forward of such a call runs its second factor in lanes where the machine has them (MonarchLanesTests);
    // the training forward below keeps v and writes the output through the streamed permutation.
    public void A_Monarch_call_large_enough_to_stream_equals_its_dense_reconstruction(int threads, bool biased)
    {
        IStructuredLinear layer = biased ? new MonarchStreamedBiased256 { ThreadCount = threads } : new MonarchStreamed256 { ThreadCount = threads };
        var tensors = DenseOracle.Read(layer, layer.Parameters);
        tensors.TryGetValue("bias", out double[]? bias);
        Assert.Equal(biased, bias is not null);
        const int batch = 4096; // 4096 · 256 floats of output: the streaming threshold
        Assert.True(OutputStreaming.Pays((long)batch * layer.OutFeatures));
        double[] w = DenseOracle.Weight(layer, tensors);
        float[] x = LayerCatalog.Random(batch * layer.InFeatures, 17);
        // An aligned output, as the streaming stores need; a managed array would take the ordinary stores.
        float[] buffer = AlignedArray.Allocate(batch * layer.OutFeatures);
        Span<float> y = AlignedArray.Span(buffer, batch * layer.OutFeatures);
        y.Fill(float.NaN);
        layer.Forward(x, y, batch);
        double[] expected = DenseOracle.Forward(layer, w, bias, x.Select(v => (double)v).ToArray(), batch);
        Tolerance.Close(expected, y, 1e-5, $"streamed Monarch forward, {threads} thread(s)");

        // The training forward streams too and keeps the same intermediate for the backward.
        var saved = new float[batch * layer.SavedPerRow];
        y.Fill(float.NaN);
        layer.Forward(x, y, batch, saved);
        Tolerance.Close(expected, y, 1e-5, $"streamed Monarch training forward, {threads} thread(s)");
    }
}
