using System.Globalization;
using System.Linq;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>The one-line descriptions composites write above each operand's section.</summary>
internal static class CompositeText
{
    /// <summary><c>lowrank(r: 8), 64 → 64; 1.A [8, 64], 1.B [64, 8]; 2,048 FLOPs/row</c>.</summary>
    public static string Operand(LayerSpec spec, string tensorPrefix)
    {
        string tensors = string.Join(", ", spec.Tensors.Select(t => tensorPrefix + t.Name + " " + t.ShapeText));
        return $"{spec.Describe()}, {spec.In} → {spec.Out}; {tensors}; {Number(spec.ForwardFlopsPerRow)} FLOPs/row";
    }

    /// <summary>A count with thousands separators, as the comments show FLOPs.</summary>
    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
