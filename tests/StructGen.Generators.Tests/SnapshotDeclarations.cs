using System.Collections.Generic;

namespace StructGen.Generators.Tests;

/// <summary>
/// The declarations whose generated code is kept as baselines: one per structure, plus the shapes of
/// declaration the emitter treats differently (padding, a b1 ≠ b2 grid, explicit factors, no bias,
/// nesting, the global namespace).
/// </summary>
internal static class SnapshotDeclarations
{
    public const string DenseWithoutBias = """
        using StructGen;

        namespace Demo.Layers;

        [Dense(In = 37, Out = 29, Bias = false)]
        public partial class Dense37x29;
        """;

    public const string LowRankRectangular = """
        using StructGen;

        namespace Demo.Layers
        {
            [LowRank(r: 8, In = 100, Out = 300, Seed = 7)]
            public partial class LowRank100x300;
        }
        """;

    public const string MonarchSquareBlocks = """
        using StructGen;

        namespace Demo.Layers;

        [Monarch(blocks: 16, In = 1024, Out = 4096)]
        public partial class FfnUp;
        """;

    /// <summary>3 divides neither 10 nor 14: both sides are zero-padded (two SG0007 warnings).</summary>
    public const string MonarchPadded = """
        using StructGen;

        namespace Demo.Layers;

        [Monarch(blocks: 3, In = 10, Out = 14)]
        public partial class MonarchPadded10x14;
        """;

    public const string KroneckerExplicitFactors = """
        using StructGen;

        namespace Demo.Layers;

        [Kronecker(In = 12, Out = 35, In1 = 3, Out1 = 5, In2 = 4, Out2 = 7)]
        public partial class Kron12x35;
        """;

    /// <summary>A b1 × b2 = 3 × 5 grid: Out = 300 in 3 row blocks, In = 100 in 5 column blocks.</summary>
    public const string BlastRectangularGrid = """
        using StructGen;

        namespace Demo.Layers;

        [BLAST(blocks: 4, r: 6, In = 100, Out = 300, RowBlocks = 3, ColumnBlocks = 5)]
        public partial class BlastGrid;
        """;

    public const string BlockDiagonal = """
        using StructGen;

        namespace Demo.Layers;

        [BlockDiagonal(blocks: 8, In = 512, Out = 256)]
        public partial class Groups;
        """;

    /// <summary>Nested in a class and a struct, both partial, in a namespace; the layer itself private.</summary>
    public const string NestedInPartialTypes = """
        using StructGen;

        namespace Demo.Nested
        {
            public partial class Outer
            {
                internal partial struct Middle
                {
                    [Monarch(blocks: 2, In = 8, Out = 12)]
                    private partial class NestedMonarch;
                }
            }
        }
        """;

    /// <summary>Monarch without a bias: a call whose output outgrows the caches writes its output permutation with streaming stores.</summary>
    public const string MonarchStreamedOutput = """
        using StructGen;

        namespace Demo.Layers;

        [Monarch(blocks: 64, In = 4096, Out = 4096, Bias = false)]
        public partial class Mixer4096;
        """;

    public const string GlobalNamespace = """
        using StructGen;

        [LowRank(4, In = 16, Out = 16)]
        public partial class GlobalLowRank;
        """;

    /// <summary>Every snapshot declaration with the warnings it is expected to raise.</summary>
    public static IEnumerable<object[]> All => new[]
    {
        new object[] { nameof(DenseWithoutBias), DenseWithoutBias, new string[0] },
        new object[] { nameof(LowRankRectangular), LowRankRectangular, new string[0] },
        new object[] { nameof(MonarchSquareBlocks), MonarchSquareBlocks, new string[0] },
        new object[] { nameof(MonarchStreamedOutput), MonarchStreamedOutput, new string[0] },
        new object[] { nameof(MonarchPadded), MonarchPadded, new[] { "SG0007", "SG0007" } },
        new object[] { nameof(KroneckerExplicitFactors), KroneckerExplicitFactors, new string[0] },
        new object[] { nameof(BlastRectangularGrid), BlastRectangularGrid, new string[0] },
        new object[] { nameof(BlockDiagonal), BlockDiagonal, new string[0] },
        new object[] { nameof(NestedInPartialTypes), NestedInPartialTypes, new string[0] },
        new object[] { nameof(GlobalNamespace), GlobalNamespace, new string[0] },
    };
}
