using System.Linq;
using StructGen.Kernels;
using StructGen.Layers.Tests.Oracle;

namespace StructGen.Layers.Tests;

// Four row blocks of 64 outputs: at the batch below its forward requests each output block's lines before storing.
[BLAST(blocks: 4, r: 8, In = 64, Out = 256)] public partial class BlastRequesting64x256;

/// <summary>
/// A BLAST layer whose call writes enough output to request its output blocks' lines ahead of the stores
/// (<see cref="Prefetch.PaysForOutput"/>) gives what its dense reconstruction gives, in the forward and the training
/// forward, on one thread and on two, bias included and with a short last tile.
/// </summary>
public class OutputRequestTests
{
    // Two threads' chunks (whole tiles, at most a tile apart) of at least 8192 rows of 256 outputs each.
    private const int Batch = 17000 + 37;

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void A_BLAST_call_that_requests_its_output_lines_equals_its_dense_reconstruction(int threads, bool training)
    {
        var layer = new BlastRequesting64x256 { ThreadCount = threads };
        int n = layer.InFeatures, m = layer.OutFeatures;
        Assert.True(Prefetch.PaysForOutput((long)(Batch - 512) / threads * m), "each thread's chunk must write enough output to request");
        var tensors = DenseOracle.Read(layer, layer.Parameters);
        Assert.True(tensors.ContainsKey("bias"));
        float[] x = LayerCatalog.Random(Batch * n, 47);
        var y = new float[Batch * m];
        System.Array.Fill(y, float.NaN);
        if (training)
        {
            layer.Forward(x, y, Batch, new float[Batch * layer.SavedPerRow]);
        }
        else
        {
            layer.Forward(x, y, Batch);
        }
        double[] expected = DenseOracle.Forward(layer, tensors, x.Select(v => (double)v).ToArray(), Batch);
        Tolerance.Close(expected, y, 1e-5, $"{(training ? "training " : "")}forward, {threads} thread(s)");
    }
}
