using StructGen;

namespace StructGen.Training.Tests;

// Dense baselines and structured layers of the same shapes, for the initialization-variance test:
// square, In < Out and In > Out, and the shapes the MNIST sample uses.

[Dense(In = 256, Out = 256)] public partial class Dense256;
[Monarch(blocks: 16, In = 256, Out = 256)] public partial class Monarch256;
[LowRank(r: 16, In = 256, Out = 256)] public partial class LowRank256;
[Kronecker(In = 256, Out = 256)] public partial class Kronecker256;
[BLAST(In = 256, Out = 256)] public partial class Blast256;
[BlockDiagonal(blocks: 8, In = 256, Out = 256)] public partial class BlockDiagonal256;

[Dense(In = 128, Out = 512)] public partial class Dense128x512;
[Monarch(blocks: 8, In = 128, Out = 512)] public partial class Monarch128x512;
[LowRank(r: 32, In = 128, Out = 512)] public partial class LowRank128x512;
[Kronecker(In = 128, Out = 512)] public partial class Kronecker128x512;
[BLAST(blocks: 4, r: 16, In = 128, Out = 512)] public partial class Blast128x512;

[Dense(In = 512, Out = 128)] public partial class Dense512x128;
[Monarch(blocks: 8, In = 512, Out = 128)] public partial class Monarch512x128;
[LowRank(r: 8, In = 512, Out = 128)] public partial class LowRank512x128;
[BlockDiagonal(blocks: 4, In = 512, Out = 128)] public partial class BlockDiagonal512x128;

[Dense(In = 784, Out = 784)] public partial class Dense784;
[Monarch(blocks: 28, In = 784, Out = 784)] public partial class Monarch784;
[LowRank(r: 64, In = 784, Out = 784)] public partial class LowRank784;

[Dense(In = 100, Out = 100)] public partial class Dense100;
[Monarch(blocks: 3, In = 100, Out = 100)] public partial class MonarchPadded100;

// The tiny models of the training tests.
[Monarch(blocks: 4, In = 16, Out = 64)] public partial class TinyMonarch;
[LowRank(r: 8, In = 16, Out = 64)] public partial class TinyLowRank;
[Dense(In = 64, Out = 4)] public partial class TinyHead;
