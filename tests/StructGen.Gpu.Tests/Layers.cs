using StructGen;

namespace StructGen.Gpu.Tests;

// Small shapes (the CPU accelerator is slow) that still cover: sizes that are not multiples of the 16 × 16
// tiles (37, 29, 100, 35), square and rectangular (In < Out, In > Out), fly's padding on either side,
// a b1 ≠ b2 BLAST grid, explicit Kronecker factors, bias on and off.

[Dense(In = 37, Out = 29)] public partial class GpuDense37x29;
[Dense(In = 20, Out = 33, Bias = false)] public partial class GpuDense20x33NoBias;

[LowRank(r: 5, In = 40, Out = 23)] public partial class GpuLowRank40x23;
[LowRank(r: 3, In = 17, Out = 50, Bias = false)] public partial class GpuLowRank17x50NoBias;

[Monarch(blocks: 4, In = 36, Out = 100)] public partial class GpuMonarch36x100;
[Monarch(blocks: 5, In = 100, Out = 60)] public partial class GpuMonarch100x60;
[Monarch(blocks: 3, In = 10, Out = 14)] public partial class GpuMonarchPadded10x14;
[Monarch(blocks: 4, In = 30, Out = 18, Bias = false)] public partial class GpuMonarchPadded30x18;

[Kronecker(In = 12, Out = 35, In1 = 3, Out1 = 5)] public partial class GpuKron12x35;
[Kronecker(In = 36, Out = 16)] public partial class GpuKron36x16;

[BLAST(2, 3, In = 30, Out = 20)] public partial class GpuBlast30x20;
[BLAST(blocks: 2, r: 4, In = 20, Out = 18, RowBlocks = 3, ColumnBlocks = 4, Bias = false)] public partial class GpuBlastGrid20x18;

[BlockDiagonal(blocks: 3, In = 30, Out = 45)] public partial class GpuBlockDiag30x45;
[BlockDiagonal(blocks: 4, In = 10, Out = 7)] public partial class GpuBlockDiagPadded10x7;
