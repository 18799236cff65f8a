using System;

namespace StructGen;

/// <summary>
/// Base of every structure attribute. Put a structure attribute on a <c>partial class</c> and the
/// StructGen generator completes it into a sealed <see cref="IStructuredLinear"/> specialized for the
/// declared shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public abstract class StructuredLayerAttribute : Attribute
{
    /// <summary>Input features (<c>In</c>). Required, positive.</summary>
    public int In { get; set; }

    /// <summary>Output features (<c>Out</c>). Required, positive.</summary>
    public int Out { get; set; }

    /// <summary>Whether the layer adds a bias <c>[Out]</c>. Default <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Seed of the deterministic initialization done by the parameterless constructor. Default 0.</summary>
    public int Seed { get; set; }
}
