using StructGen;

namespace StructGen.Gpu.Tests;

// DSL layers inline (the .sgl ones are in Dsl/GpuLayers.sgl): a sum with Monarch padding in the term that
// adds, a scaled adapter written update first, a chain without bias whose first factor is padded.

[StructuredLinear("lowrank(r: 5) + monarch(blocks: 3)", In = 10, Out = 14)]
public partial class GpuSumLowRankMonarch;

[StructuredLinear("lowrank(r: 3, alpha: 12) + dense", In = 20, Out = 29)]
public partial class GpuAdapterScaled;

[StructuredLinear("monarch(blocks: 3) -> 24 -> lowrank(r: 4)", In = 10, Out = 17, Bias = false)]
public partial class GpuChainNoBias;
