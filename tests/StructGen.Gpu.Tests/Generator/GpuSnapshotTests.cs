using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace StructGen.Gpu.Tests.Generator;

/// <summary>
/// The ILGPU part generated for representative declarations, compared to <c>Snapshots/{Test}/</c>: one per
/// structure, with the shapes the kernels treat differently (padding on either side, a b1 ≠ b2 grid,
/// explicit Kronecker factors, bias on and off, nesting).
/// </summary>
public class GpuSnapshotTests
{
    [Fact]
    public void Dense_with_bias() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        [Dense(In = 37, Out = 29)]
        public partial class Dense37x29;
        """);

    [Fact]
    public void LowRank_without_bias() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        [LowRank(r: 8, In = 100, Out = 300, Bias = false)]
        public partial class LowRank100x300;
        """);

    [Fact]
    public void Monarch_padded_rectangular() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        [Monarch(blocks: 3, In = 10, Out = 14)]
        public partial class MonarchPadded10x14;
        """);

    [Fact]
    public void Monarch_square_blocks() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        [Monarch(blocks: 16, In = 1024, Out = 4096)]
        public partial class FfnUp;
        """);

    [Fact]
    public void Kronecker_explicit_factors() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        [Kronecker(In = 12, Out = 35, In1 = 3, Out1 = 5, In2 = 4, Out2 = 7)]
        public partial class Kron12x35;
        """);

    [Fact]
    public void Blast_rectangular_grid() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        [BLAST(blocks: 4, r: 6, In = 100, Out = 300, RowBlocks = 3, ColumnBlocks = 5)]
        public partial class BlastGrid;
        """);

    [Fact]
    public void BlockDiagonal_padded_without_bias() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        [BlockDiagonal(blocks: 4, In = 10, Out = 7, Bias = false)]
        public partial class BlockDiagPadded10x7;
        """);

    [Fact]
    public void Nested_in_partial_types() => Verify("""
        using StructGen;
        namespace Demo.Nested;
        public partial class Outer
        {
            public partial struct Middle
            {
                [Monarch(blocks: 2, In = 8, Out = 12)]
                public partial class NestedMonarch;
            }
        }
        """);

    [Fact]
    public void Composite_adapter_chain_and_sum() => Verify("""
        using StructGen;
        namespace Demo.Layers;
        // An adapter with PEFT's scaling, chained into a sum: every combinator, each operand a kernel class.
        [StructuredLinear("dense + lowrank(r: 2, alpha: 4) -> 8 -> lowrank(r: 2) + blockdiag(blocks: 2)", In = 12, Out = 6)]
        public partial class AdapterChainSum;
        """);

    /// <summary>One GPU part per declaration, compiling without errors or warnings, matching its baseline.</summary>
    private static void Verify(string source, [CallerMemberName] string test = "")
    {
        GpuRun run = GpuGeneratorHarness.Run(ilgpu: true, source);
        Assert.Null(run.Gpu.Exception);
        Assert.Empty(run.Gpu.Diagnostics);
        GeneratedSourceResult gpu = Assert.Single(run.Gpu.GeneratedSources);
        Assert.EndsWith(".Gpu.g.cs", gpu.HintName);
        Assert.Empty(run.GeneratedCodeDiagnostics());
        GpuSnapshot.Verify(test, run.Gpu.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }
}
