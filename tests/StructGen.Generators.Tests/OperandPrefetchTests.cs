using System.Linq;
using System.Text.RegularExpressions;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// Block loops over a tile whose rows lie far apart request the next block of their far operand while a block computes
/// (Prefetch.Columns): the forwards' block loops (a layer's own only in calls whose rows come from memory, those of a
/// composite's operands always), and Monarch's backward weight-gradient loops, always for rows 16 KB or
/// more apart (Monarch 4096's saved backward at batch 256: 3.8–3.9 → 3.0–3.4 ms in the probe) and, for closer rows, in a
/// layer's calls whose rows come from memory (Monarch 1024's at batch 4096: 10.2–10.4 → 8.5–8.7 ms); and BLAST's backward
/// block loops, for dy, x and dx, in such calls (BLAST 1024's saved backward at batch 4096: 11.3 → 9.7 ms). Speed is shown
/// in the benchmarks; this pins the shape of the code that gives it and where it is left out.
/// </summary>
public class OperandPrefetchTests
{
    [Fact]
    public void Monarch_4096s_backward_requests_the_next_block_of_v_and_of_x_before_each_weight_gradient_product()
    {
        string backward = Backward(Generated("[Monarch(blocks: 64, In = 4096, Out = 4096)]"));
        AssertRequestThenProduct(backward, "v", "l", "Ld", "R", "Gemm.Tn_64x64(ref Unsafe.Add(ref dz, l * S)");
        AssertRequestThenProduct(backward, "x", "k", "In", "P", "Gemm.Tn_64x64(ref Unsafe.Add(ref du, k * Q)");
    }

    [Fact]
    public void Monarch_runs_every_weight_gradient_product_of_a_factor_before_its_input_gradient_products()
    {
        string backward = Backward(Generated("[Monarch(blocks: 64, In = 4096, Out = 4096)]"));
        int[] tn = Regex.Matches(backward, @"Gemm\.Tn_").Select(m => m.Index).ToArray();
        int[] nn = Regex.Matches(backward, @"Gemm\.Nn_").Select(m => m.Index).ToArray();
        Assert.Equal(2, tn.Length);
        Assert.Equal(2, nn.Length);
        // second factor: Tn loop, Nn loop; then the first factor's Tn loop, Nn loop.
        Assert.True(tn[0] < nn[0] && nn[0] < tn[1] && tn[1] < nn[1], "expected Tn, Nn, Tn, Nn in that order");
        // The two loops of a factor are separate: the Tn loop closes before the Nn loop opens.
        string between = backward[tn[0]..nn[0]];
        Assert.Contains("for (int l = 0; l < K; l++)", between, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Monarch_1024s_backward_requests_blocks_only_for_calls_whose_rows_come_from_memory()
    {
        string code = Generated("[Monarch(blocks: 32, In = 1024, Out = 1024)]");
        string backward = Backward(code);
        // The weight-gradient products' requests hang on the call's decision; the recomputed first factor (the forward's
        // code, used when nothing was saved) requests blocks as the forward does.
        Assert.Contains("if (requestBlocks && l + 1 < 32) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref v, (l + 1) * R), Ld, R, rows);", backward, System.StringComparison.Ordinal);
        Assert.Contains("if (requestBlocks && k + 1 < 32) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (k + 1) * P), In, P, rows);", backward, System.StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(backward, @"Prefetch\.Columns").Count);
        Assert.Contains("bool requestBlocks = global::StructGen.Kernels.Prefetch.PaysForCall((long)batch * In);", code, System.StringComparison.Ordinal);
        Assert.Contains(", useSaved, requestBlocks);", code, System.StringComparison.Ordinal);
        string forward = code[code.IndexOf("private static void ForwardTile(", System.StringComparison.Ordinal)..code.IndexOf("private static void BackwardTile(", System.StringComparison.Ordinal)];
        Assert.Contains("Prefetch.Columns(ref Unsafe.Add(ref x, (k + 1) * P), In, P, rows)", forward, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Monarch_4096s_backward_requests_blocks_in_every_call()
    {
        string code = Generated("[Monarch(blocks: 64, In = 4096, Out = 4096)]");
        string backwardRows = GeneratedRegion.Between(code, "private void BackwardRows(", "public void ToDense(");
        Assert.DoesNotContain("requestBlocks", backwardRows, System.StringComparison.Ordinal);
        Assert.Contains("if (k + 1 < 64) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (k + 1) * P), In, P, rows);", backwardRows, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Monarch(blocks: 32, In = 1024, Out = 1024)]", "if (requestBlocks && k + 1 < 32) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (k + 1) * P), In, P, rows);", "PaysForCall((long)batch * In)")]
    [InlineData("[Monarch(blocks: 64, In = 4096, Out = 4096)]", "if (requestBlocks && k + 1 < 64) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (k + 1) * P), In, P, rows);", "PaysForCall((long)batch * In)")]
    [InlineData("[BlockDiagonal(blocks: 16, In = 1024, Out = 1024)]", "if (requestBlocks && k + 1 < 16) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (k + 1) * P), In, P, rows);", "PaysForCall((long)batch * In)")]
    [InlineData("[BLAST(blocks: 16, r: 32, In = 1024, Out = 1024)]", "if (requestBlocks && j + 1 < 16) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (j + 1) * BlockIn), In, BlockIn, rows);", "PaysForOutput((long)batch * Out)")]
    public void A_layers_forward_requests_the_next_block_of_x_only_in_calls_whose_rows_come_from_memory(string attribute, string request, string decision)
    {
        // Probe on the Zen 5 host: 4–5 % faster without the requests while a call's rows lie in the caches, level or
        // faster with them from batch 2048 on (BLAST 1024 at 2048: 1.69 → 1.53 ms).
        string code = Generated(attribute);
        string forwardRows = GeneratedRegion.Between(code, "private void ForwardRows(", "private static void ForwardTile(");
        Assert.Contains("bool requestBlocks = global::StructGen.Kernels.Prefetch." + decision + ";", forwardRows, System.StringComparison.Ordinal);
        string forward = GeneratedRegion.Between(code, "private static void ForwardTile(", "public void Backward(");
        Assert.Contains(request, forward, System.StringComparison.Ordinal);
        Assert.DoesNotContain("if (k + 1 <", forward, System.StringComparison.Ordinal);
        Assert.DoesNotContain("if (j + 1 <", forward, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_diagonal_layers_backward_requests_the_next_block_of_dy_and_x_only_in_calls_whose_rows_come_from_memory()
    {
        // Probe: 2–5 % faster without the requests at batch 16 and 256, level from 1024 on.
        string code = Generated("[BlockDiagonal(blocks: 16, In = 1024, Out = 1024)]");
        string backwardRows = GeneratedRegion.Between(code, "private void BackwardRows(", "private static void BackwardTile(");
        Assert.Contains("bool requestBlocks = global::StructGen.Kernels.Prefetch.PaysForCall((long)batch * In);", backwardRows, System.StringComparison.Ordinal);
        string backward = Backward(code);
        Assert.Contains("if (requestBlocks && k + 1 < 16) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref dy, (k + 1) * O), Out, O, rows);", backward, System.StringComparison.Ordinal);
        Assert.Contains("if (requestBlocks && k + 1 < 16) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (k + 1) * P), In, P, rows);", backward, System.StringComparison.Ordinal);
        Assert.DoesNotContain("if (k + 1 <", backward, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_composites_operands_request_the_next_block_of_x_in_every_forward_call()
    {
        // No call of their own to decide in: the forward keeps its requests unconditional.
        string code = Generated("[StructuredLinear(\"monarch(blocks: 32) + blockdiag(blocks: 16)\", In = 1024, Out = 1024)]");
        string forward = GeneratedRegion.Between(code, "private static void ForwardTile(", "public void Backward(");
        Assert.Equal(2, GeneratedRegion.Count(forward, "if (k + 1 < "));
        Assert.DoesNotContain("requestBlocks", code, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_Monarch_inside_a_sum_keeps_the_compile_time_rule()
    {
        // A composite's operand has no call of its own to decide in: no flag, so no request in its backward.
        string code = Generated("[StructuredLinear(\"monarch(blocks: 32) + lowrank(r: 8)\", In = 1024, Out = 1024)]");
        Assert.Contains("∂blkdiag2[l] += dz_lᵀ·v_l", Backward(code), System.StringComparison.Ordinal);
        Assert.DoesNotContain("requestBlocks", code, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_BLAST_layers_backward_requests_the_next_column_block_of_dy_x_and_dx_in_calls_whose_rows_come_from_memory()
    {
        string code = Generated("[BLAST(In = 1024, Out = 1024)]");
        Assert.Contains("bool requestBlocks = global::StructGen.Kernels.Prefetch.PaysForCall((long)batch * In);", code, System.StringComparison.Ordinal);
        Assert.Contains(", useSaved, requestBlocks);", code, System.StringComparison.Ordinal);
        string backward = Backward(code);
        string left = GeneratedRegion.Between(backward, "for (int i = 0; i < B1; i++)", "BlastCoupling.Backward(");
        Assert.Contains("if (requestBlocks && i + 1 < B1) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref dy, (i + 1) * BlockOut), Out, BlockOut, rows);", left, System.StringComparison.Ordinal);
        string right = backward[backward.LastIndexOf("for (int j = 0; j < B2; j++)", System.StringComparison.Ordinal)..];
        Assert.Contains("if (requestBlocks && j + 1 < B2) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref x, (j + 1) * BlockIn), In, BlockIn, rows);", right, System.StringComparison.Ordinal);
        Assert.Contains("if (requestBlocks && j + 1 < B2) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref dx, (j + 1) * BlockIn), In, BlockIn, rows);", right, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_BLAST_inside_a_sum_requests_no_blocks_in_its_backward()
    {
        string code = Generated("[StructuredLinear(\"blast(blocks: 4, r: 8) + lowrank(r: 8)\", In = 256, Out = 256)]");
        Assert.Contains("BlastCoupling.Backward(", code, System.StringComparison.Ordinal);
        Assert.DoesNotContain("requestBlocks", code, System.StringComparison.Ordinal);
    }

    private static void AssertRequestThenProduct(string code, string matrix, string index, string stride, string width, string product)
    {
        string request = $"if ({index} + 1 < 64) global::StructGen.Kernels.Prefetch.Columns(ref Unsafe.Add(ref {matrix}, ({index} + 1) * {width}), {stride}, {width}, rows);";
        int next = code.IndexOf(product, System.StringComparison.Ordinal);
        Assert.True(next >= 0, $"{product} not found");
        int at = code.LastIndexOf(request, next, System.StringComparison.Ordinal);
        Assert.True(at >= 0, $"no request for the next block of {matrix} before {product}");
        // Nothing else sits between the request and the product it feeds.
        Assert.DoesNotContain("Gemm.", code[(at + request.Length)..next], System.StringComparison.Ordinal);
    }

    private static string Backward(string code)
    {
        int start = code.IndexOf("private static void BackwardTile(", System.StringComparison.Ordinal);
        int end = code.IndexOf("public void ToDense(", start, System.StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "BackwardTile not found");
        return code[start..end];
    }

    private static string Generated(string attribute) => GeneratorHarness.LayerSource(attribute);
}
