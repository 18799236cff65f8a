using System.Collections.Generic;
using System.Globalization;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>A slice of the launcher's device scratch: <c>[rows, PerRow]</c> floats between two kernels.</summary>
internal sealed record GpuScratch(string Name, int PerRow, string Comment);

/// <summary>A structure-specific constant of the kernels (<c>public const int P = 9;</c>, or a <c>float</c> such as a scaling).</summary>
internal sealed record GpuConstant(string Name, string Type, string Value, string Comment)
{
    public GpuConstant(string name, int value, string comment)
        : this(name, "int", value.ToString(CultureInfo.InvariantCulture), comment)
    {
    }
}

/// <summary>
/// One ILGPU facet per operator family: it reads the structure's sizes from the IR and describes its
/// forward and backward passes as a sequence of block products (<see cref="GpuGemm"/>) over named device
/// buffers. Buffer names inside the index expressions: <c>x</c> input, <c>y</c> output, <c>dy</c>, <c>dx</c>,
/// <c>p</c> parameters, <c>dp</c> parameter gradients, and the facet's <see cref="Scratch"/> slices;
/// <c>Offset*</c> constants locate tensors in <c>p</c>/<c>dp</c>. The CPU facets (Emit/Cpu) read the same IR.
/// </summary>
internal abstract class GpuStructure
{
    /// <summary>The facet for <paramref name="spec"/>, or null for a node without ILGPU kernels (composites).</summary>
    public static GpuStructure? For(LayerSpec spec) => spec switch
    {
        DenseSpec d => new DenseGpu(d),
        LowRankSpec l => new LowRankGpu(l),
        MonarchSpec m => new MonarchGpu(m),
        KroneckerSpec k => new KroneckerGpu(k),
        BlastSpec b => new BlastGpu(b),
        BlockDiagonalSpec b => new BlockDiagonalGpu(b),
        _ => null,
    };

    /// <summary>The formula, shown in the generated documentation.</summary>
    public abstract string Formula { get; }

    /// <summary>Structure-specific constants used by the index expressions.</summary>
    public abstract IEnumerable<GpuConstant> Constants();

    /// <summary>Scratch slices, in the order they sit in the scratch buffer (the backward pass uses them all).</summary>
    public abstract IReadOnlyList<GpuScratch> Scratch { get; }

    /// <summary>The forward products in order; the last one writes <c>y</c> and adds the bias when <paramref name="bias"/>.</summary>
    public abstract IReadOnlyList<GpuGemm> Forward(bool bias);

    /// <summary>The backward products in order (forward intermediates recomputed first); they write <c>dx</c> and add into <c>dp</c>.</summary>
    public abstract IReadOnlyList<GpuGemm> Backward();

    /// <summary><c>OffsetBlkdiag1</c> for tensor <c>blkdiag1</c>.</summary>
    public static string Offset(string tensor)
    {
        var name = new System.Text.StringBuilder("Offset");
        bool upper = true;
        foreach (char c in tensor)
        {
            if (char.IsLetterOrDigit(c))
            {
                name.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                name.Append('_');
                upper = true;
            }
        }
        return name.ToString();
    }

    /// <summary>The output operand of the last forward product, with the bias of output feature <paramref name="feature"/> fused in.</summary>
    protected static GpuOutput Output(string index, string feature, bool bias, string? valid = null)
        => bias
            ? new GpuOutput("y", index, Accumulate: false, valid, AddendBuffer: "p", Addend: "OffsetBias + " + feature)
            : new GpuOutput("y", index, Accumulate: false, valid);

    protected static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    protected static GpuExtent C(int value) => GpuExtent.Const(value);

    protected static GpuExtent Rows(int factor = 1) => GpuExtent.Rows(factor);
}
