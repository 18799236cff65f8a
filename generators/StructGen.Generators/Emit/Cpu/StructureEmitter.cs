using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// One facet per operator family. A facet writes the body of a row tile's forward and backward pass
/// from the IR's sizes, and the dense reconstruction. Inside the bodies these names exist:
/// forward <c>ref float x, ref float y, int rows, ref float p, ref float s</c>;
/// backward adds <c>ref float dy, ref float dx, ref float g</c> (parameters, gradients, scratch are
/// the flat buffers; <c>Offset*</c> constants locate tensors).
/// </summary>
internal abstract class StructureEmitter
{
    public static StructureEmitter For(LayerSpec spec) => spec switch
    {
        DenseSpec d => new DenseEmitter(d),
        LowRankSpec l => new LowRankEmitter(l),
        MonarchSpec m => new MonarchEmitter(m),
        KroneckerSpec k => new KroneckerEmitter(k),
        BlastSpec b => new BlastEmitter(b),
        BlockDiagonalSpec b => new BlockDiagonalEmitter(b),
        _ => throw new System.NotSupportedException("No CPU emitter for " + spec.GetType().Name),
    };

    /// <summary>Structure-specific constants (<c>private const int P = 64;</c>), with a comment each.</summary>
    public abstract IEnumerable<string> Constants();

    /// <summary>The formula, shown in the class documentation.</summary>
    public abstract string Formula { get; }

    /// <summary>Scratch floats needed per row of a tile, forward.</summary>
    public abstract int ForwardScratchPerRow { get; }

    /// <summary>Scratch floats needed per row of a tile, backward.</summary>
    public abstract int BackwardScratchPerRow { get; }

    public abstract void WriteForward(IndentedTextWriter w, KernelSet kernels);

    public abstract void WriteBackward(IndentedTextWriter w, KernelSet kernels);

    /// <summary>Writes <c>W</c> into <c>ref float d</c> (<c>[Out, In]</c>, zeroed beforehand).</summary>
    public abstract void WriteToDense(IndentedTextWriter w);

    /// <summary><c>ref Unsafe.Add(ref p, OffsetX + extra)</c>.</summary>
    protected static string At(string buffer, string offset) => offset == "0" ? $"ref {buffer}" : $"ref Unsafe.Add(ref {buffer}, {offset})";

    public static string OffsetName(string tensor) => "Offset" + Identifier(tensor);

    public static string Identifier(string tensor)
    {
        var chars = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char c in tensor)
        {
            if (char.IsLetterOrDigit(c))
            {
                chars.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
                chars.Append('_');
            }
        }
        return chars.ToString();
    }
}
