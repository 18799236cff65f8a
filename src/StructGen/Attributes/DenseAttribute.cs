using System;

namespace StructGen;

/// <summary>An unstructured layer, <c>weight [Out, In]</c> as in <c>torch.nn.Linear</c>. Useful as a baseline.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DenseAttribute : StructuredLayerAttribute
{
}
