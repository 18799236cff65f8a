using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// A layer's own BLAST writes its output one column block of every row at a time; once a call's output comes from
/// memory (8 MB, decided once per call) it requests each block's lines before storing into them, block 0 while the
/// coupling runs. Probe, BLAST 1024's forward at batch 4096 on 64-byte-aligned buffers: 4.7–4.8 → 3.8–3.9 ms. Speed is
/// shown in the benchmarks; this pins the shape of the code that gives it and where it is left out.
/// </summary>
public class OutputRequestTests
{
    private const string Blast = "[BLAST(In = 1024, Out = 1024)]";

    [Fact]
    public void A_BLAST_layer_decides_once_per_call_and_requests_each_output_block_before_its_product()
    {
        string code = GeneratorHarness.LayerSource(Blast);
        string forwardRows = GeneratedRegion.Between(code, "private void ForwardRows(", "private static void ForwardTile(");
        Assert.Contains("bool requestBlocks = global::StructGen.Kernels.Prefetch.PaysForOutput((long)batch * Out);", forwardRows, System.StringComparison.Ordinal);
        Assert.Contains(", useSaved, requestBlocks);", forwardRows, System.StringComparison.Ordinal);
        string forward = GeneratedRegion.Between(code, "private static void ForwardTile(", "public void Backward(");
        string blockZero = "if (requestBlocks) global::StructGen.Kernels.Prefetch.Columns(ref y, Out, BlockOut, rows);";
        Assert.True(forward.IndexOf(blockZero, System.StringComparison.Ordinal) < forward.IndexOf("BlastCoupling.Forward(", System.StringComparison.Ordinal), "block 0 is requested before the coupling");
        string loop = GeneratedRegion.Between(forward, "for (int i = 0; i < B1; i++)", "Gemm.Nt_");
        Assert.Contains("if (requestBlocks && i + 1 < B1) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref y, (i + 1) * BlockOut), Out, BlockOut, rows);", loop, System.StringComparison.Ordinal);
        // The backward's requests (dy, x and dx by column block) hang on a decision of their own, from the call's input (OperandPrefetchTests).
        string backwardRows = GeneratedRegion.Between(code, "private void BackwardRows(", "private static void BackwardTile(");
        Assert.Contains("bool requestBlocks = global::StructGen.Kernels.Prefetch.PaysForCall((long)batch * In);", backwardRows, System.StringComparison.Ordinal);
        Assert.DoesNotContain("PaysForOutput", backwardRows, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_BLAST_inside_a_sum_or_with_one_row_block_requests_no_output_lines()
    {
        // A sum's term adds into an output the sum reads again; one row block writes whole rows, which the hardware follows.
        // (Both still request x's next column block: OperandPrefetchTests.)
        foreach (string attribute in new[] { "[StructuredLinear(\"blast(blocks: 4, r: 8) + lowrank(r: 8)\", In = 256, Out = 256)]", "[BLAST(blocks: 4, r: 8, In = 256, Out = 256, RowBlocks = 1, ColumnBlocks = 4)]" })
        {
            string code = GeneratorHarness.LayerSource(attribute);
            string forward = GeneratedRegion.Between(code, "private static void ForwardTile(", "public void Backward(");
            Assert.Contains("BlastCoupling.Forward(", forward, System.StringComparison.Ordinal);
            Assert.Contains("Prefetch.Columns(ref Unsafe.Add(ref x, (j + 1) * ", forward, System.StringComparison.Ordinal);
            Assert.DoesNotContain("Prefetch.Columns(ref y", forward, System.StringComparison.Ordinal);
            Assert.DoesNotContain("Prefetch.Columns(ref Unsafe.Add(ref y", forward, System.StringComparison.Ordinal);
        }
    }
}
