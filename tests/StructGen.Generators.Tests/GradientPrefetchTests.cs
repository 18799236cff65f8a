using System.Linq;
using System.Text.RegularExpressions;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// Weight-gradient products request the next block of gradient rows while a block runs (the gradients of a wide layer
/// are rarely in cache; without the requests BLAST 4096's backward was 10–18 % slower). Speed is shown in the benchmarks;
/// this pins the shape of the code that gives it, and that the requests never reach past the pass's rows.
/// </summary>
public class GradientPrefetchTests
{
    [Fact]
    public void The_packed_weight_gradient_loop_requests_the_next_four_rows_of_the_same_columns()
    {
        string code = Generated("[LowRank(r: 64, In = 512, Out = 512)]");
        Assert.Contains("ref float next = ref Unsafe.Add(ref wp, (m + 4) * ldw + k);", code, System.StringComparison.Ordinal);
        // One request per row of the next block, over the block's width (3 Vector512 vectors = 48 floats).
        for (int row = 1; row < 4; row++)
        {
            Assert.Contains($"Prefetch.Lines(ref Unsafe.Add(ref next, {row} * ldw), 48);", code, System.StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_Vector512_loop_requests_the_next_eight_rows_of_its_taller_block()
    {
        string code = Generated("[LowRank(r: 64, In = 512, Out = 512)]");
        Assert.Contains("ref float next = ref Unsafe.Add(ref wp, (m + 8) * ldw + k);", code, System.StringComparison.Ordinal);
        for (int row = 1; row < 8; row++)
        {
            Assert.Contains($"Prefetch.Lines(ref Unsafe.Add(ref next, {row} * ldw), 48);", code, System.StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_request_is_guarded_by_a_next_block_that_lies_inside_the_pass()
    {
        string code = Generated("[BlockDiagonal(blocks: 4, In = 256, Out = 256)]");
        // The guard asks for two blocks (this one and the next) inside the pass: m + 2·rows ≤ mCount, rows being 4 or 8.
        var guarded = Regex.Matches(code, @"if \(m \+ (\d+) <= mCount\)\s*\{\s*ref float next = ref Unsafe\.Add\(ref wp, \(m \+ (\d+)\) \* ldw \+ k\);");
        var requests = Regex.Matches(code, @"ref float next = ref");
        Assert.NotEmpty(requests);
        Assert.Equal(requests.Count, guarded.Count);
        Assert.All(guarded, g => Assert.Equal(2 * int.Parse(g.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(g.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(guarded, g => g.Groups[2].Value == "8");
    }

    private static string Generated(string attribute) => GeneratorHarness.LayerSource(attribute);
}
