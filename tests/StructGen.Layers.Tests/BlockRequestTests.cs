using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Kernels;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

// Four column blocks of 64 inputs: at the batch below its backward requests each loop's next column block.
[BLAST(blocks: 4, r: 8, In = 256, Out = 64)] public partial class BlastRequesting256x64;

/// <summary>
/// A BLAST backward whose call's rows come from memory (<see cref="Prefetch.PaysForCall"/>: its block loops request the
/// next column block of dy, x and dx) gives the input gradient and the parameter gradients the dense reconstruction
/// gives, from the saved intermediate and recomputing it, on one thread and on two, with a short last tile.
/// </summary>
public class BlockRequestTests
{
    // Two threads' chunks (whole tiles, at most a tile apart) of at least 4096 rows of 256 inputs each.
    private const int Batch = 8800 + 37;

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void A_BLAST_backward_that_requests_its_next_blocks_equals_its_dense_reconstruction(int threads, bool saved)
    {
        var layer = new BlastRequesting256x64 { ThreadCount = threads };
        int n = layer.InFeatures, m = layer.OutFeatures;
        Assert.True(Prefetch.PaysForCall((long)(Batch - 512) / threads * n), "each thread's chunk must be large enough to request");
        float[] x = LayerCatalog.Random(Batch * n, 53);
        float[] dy = LayerCatalog.Random(Batch * m, 59);
        var dx = new float[Batch * n];
        layer.ZeroGradients();
        if (saved)
        {
            var keep = new float[Batch * layer.SavedPerRow];
            layer.Forward(x, new float[Batch * m], Batch, keep);
            layer.Backward(x, dy, dx, Batch, keep);
        }
        else
        {
            layer.Backward(x, dy, dx, Batch);
        }
        string what = $"{threads} thread(s), {(saved ? "saved" : "recomputed")}";
        Tolerance.Close(GradientOracle.InputGradient(layer, dy, Batch), dx, 1e-4, $"∂x, {what}");
        CheckParameterGradients(layer, x, dy, what);
    }

    /// <summary>
    /// ∂W = Σ_b dy_bᵀ·x_b in double, carried to the factors by the chain rule through
    /// W[i·BlockOut + o, j·BlockIn + c] = Σ_r B[i, o, r]·D[i, j, r]·C[j, r, c]; ∂bias = Σ_b dy_b.
    /// </summary>
    private static void CheckParameterGradients(IStructuredLinear layer, float[] x, float[] dy, string what)
    {
        int n = layer.InFeatures;
        Dictionary<string, double[]> t = DenseOracle.Read(layer, layer.Parameters);
        (double[] dense, double[] bias) = GradientOracle.DenseParameterGradients(layer, x, dy, Batch);
        int[] sb = DenseOracle.Shape(layer, "B"), sc = DenseOracle.Shape(layer, "C");
        int b1 = sb[0], blockOut = sb[1], r = sb[2], b2 = sc[0], blockIn = sc[2];
        double[] B = t["B"], C = t["C"], D = t["D"];
        var dB = new double[B.Length];
        var dC = new double[C.Length];
        var dD = new double[D.Length];
        for (int i = 0; i < b1; i++)
        {
            for (int j = 0; j < b2; j++)
            {
                for (int k = 0; k < r; k++)
                {
                    double d = D[(i * b2 + j) * r + k];
                    for (int o = 0; o < blockOut; o++)
                    {
                        double bo = B[(i * blockOut + o) * r + k];
                        for (int c = 0; c < blockIn; c++)
                        {
                            double g = dense[(i * blockOut + o) * n + j * blockIn + c];
                            double cc = C[(j * r + k) * blockIn + c];
                            dB[(i * blockOut + o) * r + k] += g * d * cc;
                            dC[(j * r + k) * blockIn + c] += g * bo * d;
                            dD[(i * b2 + j) * r + k] += g * bo * cc;
                        }
                    }
                }
            }
        }
        Span<float> gradients = layer.Gradients;
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            double[] expected = tensor.Name switch { "B" => dB, "C" => dC, "D" => dD, "bias" => bias, _ => throw new InvalidOperationException(tensor.Name) };
            Tolerance.Close(expected, tensor.Slice(gradients), 1e-4, $"{what} ∂{tensor.Name}");
        }
    }
}
