using StructGen;

namespace StructGen.Dsl.Tests.Attributes;

// The DSL inline, in every kind of string literal the generator maps back to the file.

[StructuredLinear("dense + lowrank(r: 8)", In = 768, Out = 768)]
public partial class Adapter768;

[StructuredLinear("monarch(blocks: 4) -> 32 -> lowrank(r: 4)", In = 64, Out = 48, Bias = false, Seed = 3)]
public partial class ChainNoBias;

[StructuredLinear(@"blockdiag(blocks: 2) + dense", In = 10, Out = 6)]
internal sealed partial class VerbatimSum;

[StructuredLinear("""
    kronecker(4x4, 4x4)
    + lowrank(r: 2)
    """, In = 16, Out = 16)]
public partial class RawSum;

[StructuredLinear(expression: "lowrank(r: 2, alpha: 6) + dense", Out = 9, In = 7)]
public partial class NamedAdapter;

public static partial class Outer
{
    [StructuredLinear("blast(blocks: 2, r: 2) + blast(rows: 3, columns: 2, r: 1)", In = 8, Out = 6)]
    public partial class NestedSum;
}
