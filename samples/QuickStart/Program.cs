using System;
using StructGen;

namespace QuickStart;

/// <summary>
/// Declares five structured layers, checks each against its dense reconstruction (y = x·Wᵀ + b with
/// W from ToDense), and prints parameters and FLOPs against dense layers of the same shapes.
/// </summary>
public static class Program
{
    public static int Main()
    {
        IStructuredLinear[] layers = [new FfnUp(), new FfnDown(), new Mixer(), new Attn(), new Groups()];
        string[] names = ["FfnUp   [Monarch(blocks: 16)]", "FfnDown [LowRank(r: 64)]", "Mixer   [Kronecker]", "Attn    [BLAST]", "Groups  [BlockDiagonal(blocks: 8)]"];

        Console.WriteLine("StructGen quick start: five generated layers, each checked against its dense weight.");
        Console.WriteLine();
        Console.WriteLine($"{"layer",-36} {"shape",-12} {"params",10} {"vs dense",9} {"FLOPs/row",11} {"vs dense",9} {"max rel. err",13}");
        bool allOk = true;
        for (int i = 0; i < layers.Length; i++)
        {
            IStructuredLinear layer = layers[i];
            double error = Check(layer);
            bool ok = error < 1e-4;
            allOk &= ok;
            long denseParameters = (long)layer.InFeatures * layer.OutFeatures + layer.OutFeatures;
            long denseFlops = 2L * layer.InFeatures * layer.OutFeatures;
            Console.WriteLine(
                $"{names[i],-36} {layer.InFeatures + "→" + layer.OutFeatures,-12} {layer.ParameterCount,10:N0} {Ratio(layer.ParameterCount, denseParameters),9} " +
                $"{layer.ForwardFlopsPerRow,11:N0} {Ratio(layer.ForwardFlopsPerRow, denseFlops),9} {error,13:E2}{(ok ? "" : "  MISMATCH")}");
        }
        Console.WriteLine();
        Console.WriteLine(allOk ? "All layers agree with their dense reconstruction." : "Some layers disagree with their dense reconstruction.");
        return allOk ? 0 : 1;
    }

    /// <summary>Forward on a batch of 8 rows vs x·Wᵀ + b computed here from ToDense, in double.</summary>
    private static double Check(IStructuredLinear layer)
    {
        const int batch = 8;
        int n = layer.InFeatures, m = layer.OutFeatures;
        var rng = new Random(42);
        var x = new float[batch * n];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var y = new float[batch * m];
        var dx = new float[batch * n];

        layer.Forward(x, y, batch);
        layer.Backward(x, y, dx, batch); // exercised here; gradients are checked in tests/StructGen.Layers.Tests

        var w = new float[m * n];
        layer.ToDense(w);
        ReadOnlySpan<float> bias = default;
        foreach (ParameterTensor t in layer.Tensors)
        {
            if (t.Name == "bias") bias = t.Slice(layer.Parameters);
        }
        double worst = 0, scale = 1e-30;
        var expected = new double[batch * m];
        for (int b = 0; b < batch; b++)
        for (int o = 0; o < m; o++)
        {
            double sum = bias.IsEmpty ? 0 : bias[o];
            for (int i = 0; i < n; i++) sum += (double)x[b * n + i] * w[o * n + i];
            expected[b * m + o] = sum;
            scale = Math.Max(scale, Math.Abs(sum));
        }
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - y[i]) / scale);
        return worst;
    }

    private static string Ratio(long part, long whole) => (100.0 * part / whole).ToString("0.0") + " %";
}
