using System;

namespace StructGen.Language.Ir;

/// <summary>
/// Bounds of the uniform initializations. The rule for every structure: the product of its factors has
/// the output variance of a dense layer initialized as <c>torch.nn.Linear</c> does (kaiming-uniform with
/// <c>a = √5</c>, i.e. <c>U(±1/√In)</c>, variance <c>1/(3·In)</c> per weight). Inner factors get unit
/// gain (variance <c>1/fan_in</c>) and the last factor the <c>1/3</c> of the dense rule; see docs/initialization.md.
/// </summary>
public static class InitScale
{
    /// <summary><c>1/√fanIn</c>: torch.nn.Linear's bound (variance <c>1/(3·fanIn)</c>).</summary>
    public static double FanIn(int fanIn) => 1.0 / Math.Sqrt(Math.Max(1, fanIn));

    /// <summary><c>√(3/fanIn)</c>: variance <c>1/fanIn</c>, preserving the variance of what passes through.</summary>
    public static double UnitVariance(int fanIn) => Math.Sqrt(3.0 / Math.Max(1, fanIn));
}
