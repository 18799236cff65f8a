using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>Low-rank facet: <c>h = x·Aᵀ</c>, <c>y = h·Bᵀ</c>.</summary>
internal sealed class LowRankEmitter : StructureEmitter
{
    private readonly LowRankSpec _spec;

    public LowRankEmitter(LowRankSpec spec) => _spec = spec;

    public override IEnumerable<string> Constants()
    {
        yield return $"/// <summary>Rank.</summary>\nprivate const int R = {_spec.Rank};";
    }

    public override string Formula => "W = B·A, y = (x·Aᵀ)·Bᵀ";

    public override int ForwardScratchPerRow => _spec.Rank;

    public override int BackwardScratchPerRow => 2 * _spec.Rank;

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        int i = _spec.In, o = _spec.Out, r = _spec.Rank;
        w.Line("ref float h = ref s; // [rows, R]");
        w.Line($"// h = x·Aᵀ: [rows, {i}] × [{i}, {r}]");
        w.Line(kernels.Call(GemmKind.Nt, r, i, $"ref x, In, {At("p", "OffsetA")}, In, ref h, R, rows, accumulate: false"));
        w.Line($"// y = h·Bᵀ: [rows, {r}] × [{r}, {o}]");
        w.Line(kernels.Call(GemmKind.Nt, o, r, $"ref h, R, {At("p", "OffsetB")}, R, ref y, Out, rows, accumulate: false"));
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        int i = _spec.In, o = _spec.Out, r = _spec.Rank;
        w.Line("ref float h = ref s;                              // [rows, R], recomputed");
        w.Line("ref float dh = ref Unsafe.Add(ref s, TileRows * R); // [rows, R]");
        w.Line(kernels.Call(GemmKind.Nt, r, i, $"ref x, In, {At("p", "OffsetA")}, In, ref h, R, rows, accumulate: false"));
        w.Line("// dh = dy·B;  ∂B += dyᵀ·h");
        w.Line(kernels.Call(GemmKind.Nn, o, r, $"ref dy, Out, {At("p", "OffsetB")}, R, ref dh, R, rows, accumulate: false"));
        w.Line(kernels.Call(GemmKind.Tn, o, r, $"ref dy, Out, ref h, R, {At("g", "OffsetB")}, R, rows"));
        w.Line("// dx = dh·A;  ∂A += dhᵀ·x");
        w.Line(kernels.Call(GemmKind.Nn, r, i, $"ref dh, R, {At("p", "OffsetA")}, In, ref dx, In, rows, accumulate: false"));
        w.Line(kernels.Call(GemmKind.Tn, r, i, $"ref dh, R, ref x, In, {At("g", "OffsetA")}, In, rows"));
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        w.Lines(
@"// W[o, i] = Σ_r B[o, r]·A[r, i]
for (nint o = 0; o < Out; o++)
{
    for (nint r = 0; r < R; r++)
    {
        float b = Unsafe.Add(ref p, OffsetB + o * R + r);
        for (nint i = 0; i < In; i++)
        {
            Unsafe.Add(ref d, o * In + i) += b * Unsafe.Add(ref p, OffsetA + r * In + i);
        }
    }
}");
    }
}
