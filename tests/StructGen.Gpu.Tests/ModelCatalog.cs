using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU.Runtime;
using StructGen.Dsl.Tests.Oracle;
using StructGen.Gpu.Tests.Models;
using static StructGen.Dsl.Tests.Oracle.DenseWeight;

namespace StructGen.Gpu.Tests;

/// <summary>The models of Dsl/GpuModels.sgl with their launchers and a double-precision reference written step by step.</summary>
public static class ModelCatalog
{
    public sealed record Entry(Func<(IStructuredModel Model, Func<Accelerator, GpuModel> ToAccelerator)> Create, ReferenceStep[] Steps);

    public static readonly IReadOnlyDictionary<string, Entry> All = new Dictionary<string, Entry>
    {
        [nameof(GpuMlp)] = new(() => { var m = new GpuMlp(); return (m, m.ToAccelerator); },
            [ReferenceStep.Linear(t => Monarch(t, "0.", 20, 24), "0.bias"), ReferenceStep.Activation("gelu"),
             ReferenceStep.Linear(t => Adapter(t, "2.", alpha: 6), "2.bias"), ReferenceStep.Activation("tanh"),
             ReferenceStep.Linear(t => LowRank(t, "4."), "4.bias")]),
        [nameof(GpuDeep)] = new(() => { var m = new GpuDeep(); return (m, m.ToAccelerator); },
            [ReferenceStep.Activation("relu"), ReferenceStep.Linear(t => BlockDiagonal(t, "1.", 12, 16), "1.bias"), ReferenceStep.Activation("sigmoid"),
             ReferenceStep.Linear(t => Chain(Sum(LowRank(t, "3.0.0."), BlockDiagonal(t, "3.0.1.", 16, 20)), Dense(t, "3.1.")), "3.bias"),
             ReferenceStep.Activation("tanh")]),
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>The model with random parameters (a fresh adapter's lora_B is zero).</summary>
    public static (IStructuredModel Model, Func<Accelerator, GpuModel> ToAccelerator) CreateRandomized(string name)
    {
        (IStructuredModel model, Func<Accelerator, GpuModel> toAccelerator) = All[name].Create();
        LayerCatalog.Random(model.ParameterCount, 23, 0.5f).CopyTo(model.Parameters);
        return (model, toAccelerator);
    }
}
