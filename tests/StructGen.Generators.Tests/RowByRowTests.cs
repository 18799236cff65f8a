using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// A single row's dot-form product (batch 1, and a tile's last rows) reads its 8 rows of w one after another, in memory
/// order, where the rows are at least 128 floats long: at batch 1 the product streams w once, and the hardware prefetchers
/// follow memory order (probe, block diagonal 4096's forward at batch 1: 0.042–0.044 → 0.034–0.035 ms). Shorter rows keep
/// the 8 rows side by side (Monarch 4096's 64-float blocks were 8 % slower row by row). Likewise a one-row weight-gradient
/// product (a rank-1 update) updates gradient rows of at least 64 floats one after another. The layer tests check the sums
/// against the dense reconstruction at batch 1, 3 and 5 and the rank-1 update against the blocked one
/// (RankOneGradientTests); this pins where each form is emitted.
/// </summary>
public class RowByRowTests
{
    private const string RowByRow = "// w in memory order: row by row, each row's sum in two chains (even and odd vectors), added at its end.";

    [Theory]
    [InlineData("[BlockDiagonal(blocks: 16, In = 4096, Out = 4096)]", "Nt_256x256")]      // 256-float rows
    [InlineData("[LowRank(r: 64, In = 4096, Out = 1024)]", "Nt_64x4096")]                 // 4096-float rows
    [InlineData("[BLAST(blocks: 16, r: 128, In = 4096, Out = 4096)]", "Nt_256x128")]      // 128-float rows
    public void Rows_of_128_floats_or_more_are_read_row_by_row(string attribute, string product)
    {
        string code = GeneratorHarness.LayerSource(attribute);
        string kernel = GeneratedRegion.Between(code, $"private static void {product}_V512(", "// Vector256:");
        Assert.Contains(RowByRow, kernel, System.StringComparison.Ordinal);
        Assert.Contains("acc0 += odd0;", kernel, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[BlockDiagonal(blocks: 16, In = 4096, Out = 4096)]", "Tn_256x256", true)]
    [InlineData("[Monarch(blocks: 64, In = 4096, Out = 4096)]", "Tn_64x64", true)]
    [InlineData("[Monarch(blocks: 32, In = 1024, Out = 1024)]", "Tn_32x32", false)]   // 32-float rows: slower row by row
    public void One_row_weight_gradients_update_rows_of_64_floats_or_more_in_memory_order(string attribute, string product, bool rowByRow)
    {
        string code = GeneratorHarness.LayerSource(attribute);
        string kernel = GeneratedRegion.Between(code, $"private static void {product}_V512(", "// Vector256:");
        const string RankOne = "// One row: a rank-1 update, each gradient row read and written in turn, in memory order, 8 vectors at a time.";
        if (rowByRow)
        {
            Assert.Contains(RankOne, kernel, System.StringComparison.Ordinal);
            Assert.Contains("if (rows == 1)", kernel, System.StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain(RankOne, kernel, System.StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("[Monarch(blocks: 64, In = 4096, Out = 4096)]")]   // 64-float rows
    [InlineData("[Monarch(blocks: 32, In = 1024, Out = 1024)]")]   // 32-float rows
    public void Shorter_rows_are_read_side_by_side(string attribute)
    {
        string code = GeneratorHarness.LayerSource(attribute);
        Assert.Contains("Vector512<float> xv = Vector512.LoadUnsafe(ref x0, (nuint)(k));", code, System.StringComparison.Ordinal);
        Assert.DoesNotContain(RowByRow, code, System.StringComparison.Ordinal);
    }
}
