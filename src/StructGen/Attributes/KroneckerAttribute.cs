using System;

namespace StructGen;

/// <summary>
/// A Kronecker-product layer <c>W = w1 ⊗ w2</c> (<c>torch.kron</c> order, as PEFT's LoKr) with
/// <c>w1 [Out1, In1]</c>, <c>w2 [Out2, In2]</c>, <c>Out = Out1·Out2</c>, <c>In = In1·In2</c>.
/// </summary>
/// <remarks>
/// Without factor shapes the most balanced factorization of <c>In</c> and <c>Out</c> is used
/// (1024 → 32 × 32). Give <see cref="In1"/> and/or <see cref="Out1"/> (or the second factor's) to choose.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class KroneckerAttribute : StructuredLayerAttribute
{
    /// <summary>Input features of the first factor <c>w1</c>; 0 picks the balanced default.</summary>
    public int In1 { get; set; }

    /// <summary>Output features of the first factor <c>w1</c>; 0 picks the balanced default.</summary>
    public int Out1 { get; set; }

    /// <summary>Input features of the second factor <c>w2</c>; 0 derives it from <see cref="In1"/>.</summary>
    public int In2 { get; set; }

    /// <summary>Output features of the second factor <c>w2</c>; 0 derives it from <see cref="Out1"/>.</summary>
    public int Out2 { get; set; }
}
