using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>Dense facet: one product each way.</summary>
internal sealed class DenseEmitter : StructureEmitter
{
    private readonly DenseSpec _spec;

    public DenseEmitter(DenseSpec spec, EmitScope scope)
        : base(scope) => _spec = spec;

    public override LayerSpec Spec => _spec;

    public override IEnumerable<string> Constants() => System.Array.Empty<string>();

    public override string Formula => "y = x·weightᵀ";

    public override int ForwardScratchPerRow => 0;

    public override int BackwardScratchPerRow => 0;

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        string x = Scope.X, y = Scope.Y;
        w.Line($"// {y} {OutputAssign} {x}·weightᵀ: [rows, {_spec.In}] × [{_spec.In}, {_spec.Out}]");
        w.Line(kernels.Call(GemmKind.Nt, _spec.Out, _spec.In, $"ref {x}, {In}, {At("p", Offset("weight"))}, {In}, ref {y}, {Out}, rows, accumulate: {Scope.AccumulateOutput}"));
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        string x = Scope.X, dy = Scope.Dy, dx = Scope.Dx;
        w.Line($"// {dx} {InputGradientAssign} {dy}·weight");
        w.Line(kernels.Call(GemmKind.Nn, _spec.Out, _spec.In, $"ref {dy}, {Out}, {At("p", Offset("weight"))}, {In}, ref {dx}, {In}, rows, accumulate: {Scope.AccumulateInputGradient}"));
        w.Line($"// ∂weight += {dy}ᵀ·{x}");
        w.Line(kernels.Call(GemmKind.Tn, _spec.Out, _spec.In, $"ref {dy}, {Out}, ref {x}, {In}, {At("g", Offset("weight"))}, {In}, rows"));
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        w.Line($"// W {Scope.DenseAssign} weight");
        using (w.OpenBlock($"for (nint i = 0; i < (nint){Out} * {In}; i++)"))
        {
            w.Line($"Unsafe.Add(ref {Scope.Dense}, i) {Scope.DenseAssign} Unsafe.Add(ref p, {Offset("weight")} + i);");
        }
    }
}
