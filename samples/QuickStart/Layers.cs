using StructGen;

namespace QuickStart;

// Five structured layers. Each line becomes a sealed class with SIMD forward and backward kernels
// specialized to exactly these shapes, generated at compile time.

[Monarch(blocks: 16, In = 1024, Out = 4096)] public partial class FfnUp;
[LowRank(r: 64, In = 4096, Out = 1024)]      public partial class FfnDown;
[Kronecker(In = 1024, Out = 1024)]           public partial class Mixer;
[BLAST(In = 1024, Out = 1024)]               public partial class Attn;
[BlockDiagonal(blocks: 8, In = 512, Out = 256)] public partial class Groups;
