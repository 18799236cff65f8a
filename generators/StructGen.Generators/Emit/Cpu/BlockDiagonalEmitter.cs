using System.Collections.Generic;
using StructGen.Generators.Helpers;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>Block-diagonal facet: one product per block, padded blocks specialized to their real sizes.</summary>
internal sealed class BlockDiagonalEmitter : StructureEmitter
{
    private readonly BlockDiagonalSpec _spec;
    private readonly IReadOnlyList<BlockRun> _runs;

    public BlockDiagonalEmitter(BlockDiagonalSpec spec, EmitScope scope)
        : base(scope)
    {
        _spec = spec;
        _runs = BlockRun.Split(spec.Blocks, spec.BlockIn, spec.BlockOut, spec.In, spec.Out);
    }

    public override LayerSpec Spec => _spec;

    private string K => C("K");

    private string P => C("P");

    private string O => C("O");

    public override IEnumerable<string> Constants()
    {
        yield return $"/// <summary>Blocks.</summary>\nprivate const int {K} = {_spec.Blocks};";
        yield return $"/// <summary>Inputs per block (In' / K, In' = {_spec.PaddedIn}).</summary>\nprivate const int {P} = {_spec.BlockIn};";
        yield return $"/// <summary>Outputs per block (Out' / K, Out' = {_spec.PaddedOut}).</summary>\nprivate const int {O} = {_spec.BlockOut};";
    }

    public override string Formula => "y[:, k·O .. k·O + O) = x[:, k·P .. k·P + P)·weight[k]ᵀ for every block k";

    public override int ForwardScratchPerRow => 0;

    public override int BackwardScratchPerRow => 0;

    /// <summary>
    /// Whether a layer's own forward requests the next block of x (<see cref="StructureEmitter.WriteNextBlockPrefetch"/>,
    /// where <see cref="StructureEmitter.PrefetchPays"/>) only in calls whose rows come from memory (<c>Prefetch.PaysForCall</c>,
    /// 4 MB of input). Probe, block diagonal 1024 (16 blocks of 64) without the requests against with them: batch 16 5 %
    /// and 256 2–5 % faster (0.143 → 0.137 ms), 4096 2–3 % faster on this host; calls from memory keep them, for hosts whose
    /// prefetchers do not follow a tile's rows (Monarch's first factor, the same loop: 12–14 → 7–8 ms at batch 4096 on an
    /// older one). Inside a composite they stay unconditional.
    /// </summary>
    private bool ForwardRequestsPerCall => OwnLayer && PrefetchPays(_spec.In, _spec.BlockIn);

    public override IReadOnlyList<string> ForwardCallFlags => Flags(BlockRequestIf(ForwardRequestsPerCall));

    public override void WriteForwardCallSetup(IndentedTextWriter w)
        => WriteBlockRequestDecision(w, ForwardRequestsPerCall, "Each block requests the next block of x");

    /// <summary>
    /// The backward's twin of <see cref="ForwardRequestsPerCall"/>: a layer's own block loop requests the next block of dy and
    /// of x only in calls whose rows come from memory. Probe, block diagonal 1024's backward without the requests against with
    /// them: batch 16 2–5 % and 256 4 % faster (0.303 → 0.291 ms), 1024 and 4096 level.
    /// </summary>
    private bool BackwardRequestsPerCall => OwnLayer && PrefetchPays(_spec.In, _spec.BlockIn) && PrefetchPays(_spec.Out, _spec.BlockOut);

    public override IReadOnlyList<string> BackwardCallFlags => Flags(BlockRequestIf(BackwardRequestsPerCall));

    public override void WriteBackwardCallSetup(IndentedTextWriter w)
        => WriteBlockRequestDecision(w, BackwardRequestsPerCall, "Each block requests the next block of dy and of x");

    public override void WriteForward(IndentedTextWriter w, KernelSet kernels)
    {
        string x = Scope.X, y = Scope.Y;
        foreach (BlockRun run in _runs)
        {
            w.Line($"// {run.Describe(_spec.Blocks)}");
            if (run.RealOut == 0)
            {
                w.Line("// (padding only: no real outputs)");
                continue;
            }
            if (run.RealIn == 0 && Scope.AddToOutput)
            {
                w.Line("// (padding only: no real inputs, nothing to add)");
                continue;
            }
            using (w.OpenBlock($"for (int k = {run.First}; k < {run.End}; k++)"))
            {
                if (run.RealIn == 0)
                {
                    w.Line($"RowOps.Clear(ref Unsafe.Add(ref {y}, k * {O}), {Out}, {run.RealOut}, rows);");
                }
                else
                {
                    if (run.RealIn == _spec.BlockIn && PrefetchPays(_spec.In, _spec.BlockIn))
                    {
                        WriteNextBlockPrefetch(w, x, In, P, run.End, when: BlockRequestIf(ForwardRequestsPerCall));
                    }
                    w.Line(kernels.Call(GemmKind.Nt, run.RealOut, run.RealIn,
                        $"ref Unsafe.Add(ref {x}, k * {P}), {In}, ref Unsafe.Add(ref p, {Offset("weight")} + k * {O} * {P}), {P}, ref Unsafe.Add(ref {y}, k * {O}), {Out}, rows, accumulate: {Scope.AccumulateOutput}"));
                }
            }
        }
    }

    public override void WriteBackward(IndentedTextWriter w, KernelSet kernels)
    {
        string x = Scope.X, dy = Scope.Dy, dx = Scope.Dx;
        foreach (BlockRun run in _runs)
        {
            w.Line($"// {run.Describe(_spec.Blocks)}: {dx}_k {InputGradientAssign} {dy}_k·weight[k];  ∂weight[k] += {dy}_kᵀ·{x}_k");
            if (run.RealIn == 0)
            {
                w.Line("// (padding only: no real inputs)");
                continue;
            }
            if (run.RealOut == 0 && Scope.AddToInputGradient)
            {
                w.Line("// (padding only: no real outputs, nothing to add)");
                continue;
            }
            using (w.OpenBlock($"for (int k = {run.First}; k < {run.End}; k++)"))
            {
                if (run.RealOut == 0)
                {
                    w.Line($"RowOps.Clear(ref Unsafe.Add(ref {dx}, k * {P}), {In}, {run.RealIn}, rows);");
                }
                else
                {
                    if (run.RealIn == _spec.BlockIn && run.RealOut == _spec.BlockOut && PrefetchPays(_spec.In, _spec.BlockIn) && PrefetchPays(_spec.Out, _spec.BlockOut))
                    {
                        WriteNextBlockPrefetch(w, dy, Out, O, run.End, when: BlockRequestIf(BackwardRequestsPerCall));
                        WriteNextBlockPrefetch(w, x, In, P, run.End, when: BlockRequestIf(BackwardRequestsPerCall));
                    }
                    w.Line(kernels.Call(GemmKind.Nn, run.RealOut, run.RealIn,
                        $"ref Unsafe.Add(ref {dy}, k * {O}), {Out}, ref Unsafe.Add(ref p, {Offset("weight")} + k * {O} * {P}), {P}, ref Unsafe.Add(ref {dx}, k * {P}), {In}, rows, accumulate: {Scope.AccumulateInputGradient}"));
                    w.Line(kernels.Call(GemmKind.Tn, run.RealOut, run.RealIn,
                        $"ref Unsafe.Add(ref {dy}, k * {O}), {Out}, ref Unsafe.Add(ref {x}, k * {P}), {In}, ref Unsafe.Add(ref g, {Offset("weight")} + k * {O} * {P}), {P}, rows"));
                }
            }
        }
    }

    public override void WriteToDense(IndentedTextWriter w)
    {
        string d = Scope.Dense, assign = Scope.DenseAssign;
        w.Lines(
$@"// W[k·O + o, k·P + i] {assign} weight[k, o, i] (real rows and columns only)
for (nint k = 0; k < {K}; k++)
{{
    for (nint o = 0; o < {O} && k * {O} + o < {Out}; o++)
    {{
        for (nint i = 0; i < {P} && k * {P} + i < {In}; i++)
        {{
            Unsafe.Add(ref {d}, (k * {O} + o) * {In} + k * {P} + i) {assign} Unsafe.Add(ref p, {Offset("weight")} + (k * {O} + o) * {P} + i);
        }}
    }}
}}");
    }
}
