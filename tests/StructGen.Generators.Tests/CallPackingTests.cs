using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// A Monarch call that runs its second factor in lanes also transposes the first factor's blocks once for all its tiles
/// (blkdiag1ᵀ in the call's scratch) where they fit in L2 beside the tile, instead of once per block per tile. Probe,
/// Monarch 1024 at batch 256: forward 0.1725 → 0.166 ms. The tile keeps the per-tile path for calls not in lanes and for
/// rows under the packing threshold, so the bits do not depend on the path (the layer tests check that against the
/// permutation path and two threads). Speed is shown in the benchmarks; this pins where the packing is and is not.
/// </summary>
public class CallPackingTests
{
    [Fact]
    public void A_Monarch_in_lanes_packs_its_first_factor_once_per_call_and_its_tiles_read_it()
    {
        string code = GeneratorHarness.LayerSource("[Monarch(blocks: 32, In = 1024, Out = 1024)]");
        string rows = GeneratedRegion.Between(code, "private void ForwardRows(", "private static void ForwardTile(");
        string setup = GeneratedRegion.Between(rows, "if (lanes)", "for (int row = 0;");
        Assert.Contains("MonarchLanes.Relayout(", setup, System.StringComparison.Ordinal);
        Assert.Contains("BlockTranspose.Transpose(ref Unsafe.Add(ref p, OffsetBlkdiag1 + k * Q * P), P, ref Unsafe.Add(ref w1t, k * P * Q), Q, Q, P);", setup, System.StringComparison.Ordinal);

        string tile = GeneratedRegion.Between(code, "private static void ForwardTile(", "public void Backward(");
        Assert.Contains("if (lanes && rows >= 8) Gemm.Nn_32x32(ref Unsafe.Add(ref x, k * P), In, ref Unsafe.Add(ref w1t, k * P * Q), Q,", tile, System.StringComparison.Ordinal);
        Assert.Contains("else Gemm.Nt_32x32(ref Unsafe.Add(ref x, k * P), In, ref Unsafe.Add(ref p, OffsetBlkdiag1 + k * Q * P), P,", tile, System.StringComparison.Ordinal);
        // The backward's recomputation keeps the per-tile path: it has no lanes call to pack in.
        string backward = GeneratedRegion.Between(code, "private static void BackwardTile(", "public void ToDense(");
        Assert.DoesNotContain("w1t", backward, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Monarch(blocks: 64, In = 4096, Out = 4096)]")] // blkdiag1ᵀ of 1 MB: read back from L3, level (not packed)
    [InlineData("[Monarch(blocks: 12, In = 768, Out = 768)]")] // 12 blocks: no lanes on any machine
    [InlineData("[StructuredLinear(\"monarch(blocks: 16) + lowrank(r: 8)\", In = 256, Out = 256)]")] // a term of a sum: no lanes
    public void Other_Monarchs_keep_the_per_tile_packing(string attribute)
    {
        string code = GeneratorHarness.LayerSource(attribute);
        Assert.Contains("Gemm.Nt_", code, System.StringComparison.Ordinal);
        Assert.DoesNotContain("w1t", code, System.StringComparison.Ordinal);
    }
}
