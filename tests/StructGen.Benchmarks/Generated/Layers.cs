using StructGen;

namespace StructGen.Benchmarks.Generated;

// The StructGen layers the suite measures, one per benchmarked shape (StructureShape.Of gives the same
// shapes to the reference forms). No bias: the baselines have none either.

[Monarch(blocks: 32, In = 1024, Out = 1024, Bias = false)]
public partial class Monarch1024;

[Monarch(blocks: 64, In = 4096, Out = 4096, Bias = false)]
public partial class Monarch4096;

[LowRank(r: 64, In = 1024, Out = 1024, Bias = false)]
public partial class LowRank1024;

[LowRank(r: 64, In = 4096, Out = 4096, Bias = false)]
public partial class LowRank4096;

[LowRank(r: 256, In = 4096, Out = 4096, Bias = false)]
public partial class LowRankWide4096;

[Kronecker(In1 = 32, Out1 = 32, In = 1024, Out = 1024, Bias = false)]
public partial class Kronecker1024;

[Kronecker(In1 = 64, Out1 = 64, In = 4096, Out = 4096, Bias = false)]
public partial class Kronecker4096;

[BLAST(16, 32, In = 1024, Out = 1024, Bias = false)]
public partial class Blast1024;

[BLAST(16, 128, In = 4096, Out = 4096, Bias = false)]
public partial class Blast4096;

[BlockDiagonal(blocks: 16, In = 1024, Out = 1024, Bias = false)]
public partial class BlockDiagonal1024;

[BlockDiagonal(blocks: 16, In = 4096, Out = 4096, Bias = false)]
public partial class BlockDiagonal4096;
