using System;
using System.Linq;
using StructGen.Kernels;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

// A Kronecker layer small enough for a dense oracle; at the batch below its calls request the next tile's rows.
[Kronecker(In = 128, Out = 128, In1 = 8, Out1 = 8)] public partial class KronRequesting128;

/// <summary>
/// A layer whose tiles request the next tile's rows while they compute (<c>RequestsNextTile</c>: a call whose rows come
/// from memory, <see cref="Prefetch.PaysForCall"/>) gives what its dense reconstruction gives: the forward, the training
/// forward, the backward from the saved intermediate and the recomputing one, on one thread and on two, with a last tile
/// shorter than the others (whose predecessor requests only its rows).
/// </summary>
public class NextTileRequestTests
{
    // Two threads' chunks (whole tiles, at most a tile apart) of at least 8192 rows of 128 floats each, and a short last tile.
    private const int Batch = 17000 + 37;

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void A_Kronecker_call_that_requests_its_next_tiles_equals_its_dense_reconstruction(int threads, bool training)
    {
        var layer = new KronRequesting128 { ThreadCount = threads };
        int n = layer.InFeatures, m = layer.OutFeatures;
        Assert.True(Prefetch.PaysForCall((long)(Batch - 512) / threads * n), "each thread's chunk must be large enough to request");
        var tensors = DenseOracle.Read(layer, layer.Parameters);
        float[] x = LayerCatalog.Random(Batch * n, 41);
        float[] dy = LayerCatalog.Random(Batch * m, 43);
        double[] xd = x.Select(v => (double)v).ToArray();

        var y = new float[Batch * m];
        float[] saved = new float[Batch * layer.SavedPerRow];
        if (training)
        {
            layer.Forward(x, y, Batch, saved);
        }
        else
        {
            layer.Forward(x, y, Batch);
        }
        Tolerance.Close(DenseOracle.Forward(layer, tensors, xd, Batch), y, 1e-5, $"forward, {threads} thread(s)");

        layer.ZeroGradients();
        var dx = new float[Batch * n];
        if (training)
        {
            layer.Backward(x, dy, dx, Batch, saved);
        }
        else
        {
            layer.Backward(x, dy, dx, Batch);
        }
        Tolerance.Close(GradientOracle.InputGradient(layer, dy, Batch), dx, 1e-4, $"∂x, {threads} thread(s)");
        CheckParameterGradients(layer, tensors, x, dy, $"{threads} thread(s), {(training ? "saved" : "recomputed")}");
    }

    /// <summary>
    /// ∂W = Σ_b dy_bᵀ·x_b in double, carried to the factors by the chain rule through
    /// W[i1·Out2 + i2, j1·In2 + j2] = w1[i1, j1]·w2[i2, j2]; ∂bias = Σ_b dy_b.
    /// </summary>
    private static void CheckParameterGradients(IStructuredLinear layer, System.Collections.Generic.Dictionary<string, double[]> t, float[] x, float[] dy, string what)
    {
        int n = layer.InFeatures;
        (double[] dense, double[] bias) = GradientOracle.DenseParameterGradients(layer, x, dy, Batch);
        int[] s1 = DenseOracle.Shape(layer, "w1"), s2 = DenseOracle.Shape(layer, "w2");
        var w1 = new double[s1[0] * s1[1]];
        var w2 = new double[s2[0] * s2[1]];
        for (int i1 = 0; i1 < s1[0]; i1++)
        {
            for (int j1 = 0; j1 < s1[1]; j1++)
            {
                for (int i2 = 0; i2 < s2[0]; i2++)
                {
                    for (int j2 = 0; j2 < s2[1]; j2++)
                    {
                        double d = dense[(i1 * s2[0] + i2) * n + j1 * s2[1] + j2];
                        w1[i1 * s1[1] + j1] += d * t["w2"][i2 * s2[1] + j2];
                        w2[i2 * s2[1] + j2] += d * t["w1"][i1 * s1[1] + j1];
                    }
                }
            }
        }
        Span<float> gradients = layer.Gradients;
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            double[] expected = tensor.Name switch { "w1" => w1, "w2" => w2, "bias" => bias, _ => throw new InvalidOperationException(tensor.Name) };
            Tolerance.Close(expected, tensor.Slice(gradients), 1e-4, $"{what} ∂{tensor.Name}");
        }
    }
}
