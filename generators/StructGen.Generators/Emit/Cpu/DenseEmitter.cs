using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>Dense facet: one product each way.</summary>
internal sealed class DenseEmitter : StructureEmitter
{
    private readonly DenseSpec _spec;

    public DenseEmitter(DenseSpec spec) => _spec = spec;

    public override IEnumerable<string> Constants() => System.Array.Empty<string>();

    public override string Formula => "y = x·weightᵀ";

    public override int ForwardScratchPerRow => 0;

    public override int BackwardScratchPerRow => 0;

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        w.Line($"// y = x·weightᵀ: [rows, {_spec.In}] × [{_spec.In}, {_spec.Out}]");
        w.Line(kernels.Call(GemmKind.Nt, _spec.Out, _spec.In, $"ref x, In, {At("p", "OffsetWeight")}, In, ref y, Out, rows, accumulate: false"));
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        w.Line("// dx = dy·weight");
        w.Line(kernels.Call(GemmKind.Nn, _spec.Out, _spec.In, $"ref dy, Out, {At("p", "OffsetWeight")}, In, ref dx, In, rows, accumulate: false"));
        w.Line("// ∂weight += dyᵀ·x");
        w.Line(kernels.Call(GemmKind.Tn, _spec.Out, _spec.In, $"ref dy, Out, ref x, In, {At("g", "OffsetWeight")}, In, rows"));
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        w.Line("// W = weight");
        using (w.OpenBlock("for (nint i = 0; i < (nint)Out * In; i++)"))
        {
            w.Line("Unsafe.Add(ref d, i) = Unsafe.Add(ref p, OffsetWeight + i);");
        }
    }
}
