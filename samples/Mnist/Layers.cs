using StructGen;

namespace Mnist;

// The layers of the three MLPs (784 → 784 → relu → 10). Each hidden layer replaces the same dense
// 784 × 784 weight; the head is dense in all three. When the DSL lands these become one .sgl file:
//   model MonarchMlp : 784 -> 10 { monarch(blocks: 28) -> 784; relu; dense -> 10; }

/// <summary>The baseline hidden layer: 614,656 weights.</summary>
[Dense(In = 784, Out = 784)] public partial class DenseHidden;

/// <summary>Monarch with 28 blocks of 28 × 28 per factor (28² = 784): 43,904 weights, 7 % of dense.</summary>
[Monarch(blocks: 28, In = 784, Out = 784)] public partial class MonarchHidden;

/// <summary>Rank 64: 100,352 weights, 16 % of dense.</summary>
[LowRank(r: 64, In = 784, Out = 784)] public partial class LowRankHidden;

/// <summary>The classifier head shared by all variants (one instance each).</summary>
[Dense(In = 784, Out = 10)] public partial class Head;
