using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU.Runtime;
using StructGen.Dsl.Tests.Oracle;
using StructGen.Gpu.Tests.Dsl;
using static StructGen.Dsl.Tests.Oracle.DenseWeight;

namespace StructGen.Gpu.Tests;

/// <summary>
/// The DSL layers under test (sums, adapters, chains, inline and from Dsl/GpuLayers.sgl), each with its launcher
/// and its dense weight rebuilt in double precision from its named tensors by the composition rules
/// (STRUCTURES.md, docs/dsl.md), independently of any generated code.
/// </summary>
public static class CompositeCatalog
{
    public sealed record Entry(Func<(IStructuredLinear Layer, Func<Accelerator, GpuLayer> ToAccelerator)> Create, Func<TensorSet, Matrix> Weight);

    public static readonly IReadOnlyDictionary<string, Entry> All = new Dictionary<string, Entry>
    {
        [nameof(GpuSumLowRankMonarch)] = new(() => { var l = new GpuSumLowRankMonarch(); return (l, l.ToAccelerator); },
            t => Sum(LowRank(t, "0."), Monarch(t, "1.", 10, 14))),
        [nameof(GpuAdapterScaled)] = new(() => { var l = new GpuAdapterScaled(); return (l, l.ToAccelerator); },
            t => Adapter(t, "", alpha: 12)),
        [nameof(GpuChainNoBias)] = new(() => { var l = new GpuChainNoBias(); return (l, l.ToAccelerator); },
            t => Chain(Monarch(t, "0.", 10, 24), LowRank(t, "1."))),
        [nameof(GpuSumOfThree)] = new(() => { var l = new GpuSumOfThree(); return (l, l.ToAccelerator); },
            t => Sum(BlockDiagonal(t, "0.", 30, 45), Kronecker(t, "1."), Dense(t, "2."))),
        [nameof(GpuAdapter)] = new(() => { var l = new GpuAdapter(); return (l, l.ToAccelerator); },
            t => Adapter(t, "", alpha: 4)),
        [nameof(GpuChainOfThree)] = new(() => { var l = new GpuChainOfThree(); return (l, l.ToAccelerator); },
            t => Chain(Monarch(t, "0.", 36, 48), Blast(t, "1."), BlockDiagonal(t, "2.", 40, 50))),
        [nameof(GpuChainInSum)] = new(() => { var l = new GpuChainInSum(); return (l, l.ToAccelerator); },
            t => Sum(Blast(t, "0."), Chain(LowRank(t, "1.0."), Dense(t, "1.1.")))),
        [nameof(GpuSumInChain)] = new(() => { var l = new GpuSumInChain(); return (l, l.ToAccelerator); },
            t => Chain(Sum(Dense(t, "0.0."), Monarch(t, "0.1.", 20, 10)), LowRank(t, "1."))),
        [nameof(GpuAdapterInChain)] = new(() => { var l = new GpuAdapterInChain(); return (l, l.ToAccelerator); },
            t => Chain(Adapter(t, "0.", alpha: 6), Kronecker(t, "1."))),
        [nameof(GpuAdapterInSum)] = new(() => { var l = new GpuAdapterInSum(); return (l, l.ToAccelerator); },
            t => Sum(Adapter(t, "0.", alpha: 2), BlockDiagonal(t, "1.", 16, 16))),
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>The layer with random parameters (a fresh adapter's lora_B is zero, which would hide its gradients' paths).</summary>
    public static (IStructuredLinear Layer, Func<Accelerator, GpuLayer> ToAccelerator) CreateRandomized(string name)
    {
        (IStructuredLinear layer, Func<Accelerator, GpuLayer> toAccelerator) = All[name].Create();
        LayerCatalog.Random(layer.ParameterCount, 17, 0.5f).CopyTo(layer.Parameters);
        return (layer, toAccelerator);
    }
}
