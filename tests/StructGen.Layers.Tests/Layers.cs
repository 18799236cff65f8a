using StructGen;

namespace StructGen.Layers.Tests;

// Shapes chosen to cover: square and rectangular (In < Out, In > Out), sizes that are not multiples of
// any vector width (100, 300, 36, 60), padding (blocks not dividing), and bias on/off.

[Dense(In = 37, Out = 29)] public partial class Dense37x29;
[Dense(In = 64, Out = 48, Bias = false)] public partial class Dense64x48NoBias;

[LowRank(r: 8, In = 100, Out = 300)] public partial class LowRank100x300;
[LowRank(r: 5, In = 96, Out = 40, Seed = 7)] public partial class LowRank96x40;
[LowRank(r: 64, In = 4096, Out = 1024)] public partial class FfnDown;

[Monarch(blocks: 4, In = 64, Out = 64)] public partial class Monarch64;
[Monarch(blocks: 4, In = 36, Out = 100)] public partial class Monarch36x100;
[Monarch(blocks: 5, In = 100, Out = 60)] public partial class Monarch100x60;
[Monarch(blocks: 3, In = 10, Out = 14)] public partial class MonarchPadded10x14;
[Monarch(blocks: 4, In = 30, Out = 18, Bias = false)] public partial class MonarchPadded30x18;
[Monarch(blocks: 16, In = 1024, Out = 4096)] public partial class FfnUp;

[Kronecker(In = 64, Out = 64)] public partial class Kron64;
[Kronecker(In = 12, Out = 35, In1 = 3, Out1 = 5)] public partial class Kron12x35;
[Kronecker(In = 1024, Out = 1024)] public partial class Mixer;

[BLAST(In = 64, Out = 48)] public partial class Blast64x48;
[BLAST(2, 3, In = 30, Out = 20)] public partial class Blast30x20;
[BLAST(blocks: 4, r: 6, In = 100, Out = 300, RowBlocks = 3, ColumnBlocks = 5)] public partial class BlastGrid;
[BLAST(In = 1024, Out = 1024)] public partial class Attn;
// 128-row forward tiles: its scratch for 128 rows (128 · 4 · 130 floats) is at most half its weights.
[BLAST(blocks: 2, r: 130, In = 600, Out = 500)] public partial class BlastTallTiles;
// 64-row backward tiles although 64 rows of backward scratch (64 · 8 · 520 floats) pass the 1 MB target: its weights are twice that.
[BLAST(blocks: 2, r: 520, In = 1040, Out = 1040)] public partial class BlastTallBackward;

[BlockDiagonal(blocks: 8, In = 512, Out = 256)] public partial class Groups;
[BlockDiagonal(blocks: 3, In = 30, Out = 45)] public partial class BlockDiag30x45;
[BlockDiagonal(blocks: 4, In = 10, Out = 7)] public partial class BlockDiagPadded10x7;

// Shapes that reach every register-block tail of the packed kernels at 8+ rows: widths of 4 vectors (2 + 2
// blocks), 1 extra vector after blocks of 3 (37 = 11·3 + 4), scalar columns, and a second k-pass of 35 columns.
[LowRank(r: 37, In = 291, Out = 300)] public partial class KernelTails;
[Monarch(blocks: 4, In = 128, Out = 128)] public partial class Monarch128Blocks32;

public static partial class Outer
{
    [Monarch(blocks: 2, In = 8, Out = 12)] public partial class NestedMonarch;
}
