using System;

namespace StructGen;

/// <summary>
/// A layer written in the StructGen DSL, e.g. <c>[StructuredLinear("dense + lowrank(r: 8)", In = 768, Out = 768)]</c>.
/// See docs/dsl.md for the language.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StructuredLinearAttribute : StructuredLayerAttribute
{
    /// <summary>Declares a layer from a DSL expression.</summary>
    /// <param name="expression">The structure, e.g. <c>monarch(blocks: 16)</c> or <c>dense + lowrank(r: 8)</c>.</param>
    public StructuredLinearAttribute(string expression) => Expression = expression;

    /// <summary>The DSL expression.</summary>
    public string Expression { get; }
}
