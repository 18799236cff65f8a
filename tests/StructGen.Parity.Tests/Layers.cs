using StructGen;

namespace StructGen.Parity.Tests;

// One layer per fixture of tests/fixtures/torch/parity (same attribute as the manifest records), with shapes no
// other test uses. The PEFT adapters are in Composites/Adapters.cs.

[Dense(In = 19, Out = 23)] public partial class Dense19x23;
[LowRank(r: 3, In = 21, Out = 17)] public partial class LowRank21x17;

[Monarch(blocks: 6, In = 36, Out = 36)] public partial class MonarchSquare36;
[Monarch(blocks: 3, In = 48, Out = 48)] public partial class MonarchSquare48;
[Monarch(blocks: 4, In = 22, Out = 37)] public partial class MonarchPadded22x37;
[Monarch(blocks: 3, In = 29, Out = 13)] public partial class MonarchPadded29x13;
[Monarch(blocks: 4, In = 13, Out = 15, Bias = false)] public partial class MonarchPadded13x15;

[BlockDiagonal(blocks: 3, In = 20, Out = 11)] public partial class BlockDiagPadded20x11;

[Kronecker(In = 15, Out = 8, In1 = 5, Out1 = 2, In2 = 3, Out2 = 4)] public partial class Kron15x8;

[BLAST(blocks: 3, r: 4, In = 27, Out = 27)] public partial class BlastSquare27;
[BLAST(blocks: 2, r: 5, In = 18, Out = 28, RowBlocks = 4, ColumnBlocks = 2)] public partial class BlastGrid18x28;
[BLAST(blocks: 1, r: 4, In = 33, Out = 10, RowBlocks = 2, ColumnBlocks = 3)] public partial class BlastGrid33x10;
