using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Dsl.Tests.Models;
using StructGen.Dsl.Tests.Oracle;
using static StructGen.Dsl.Tests.Oracle.DenseWeight;
using static StructGen.Dsl.Tests.Oracle.ReferenceStep;

namespace StructGen.Dsl.Tests;

/// <summary>The models under test, each with a reference written step by step from docs/dsl.md and its <c>torch.nn.Sequential</c> keys.</summary>
public static class ModelCatalog
{
    public sealed record Entry(Func<IStructuredModel> Create, ReferenceStep[] Steps, string[] Tensors);

    public static readonly IReadOnlyDictionary<string, Entry> All = new Dictionary<string, Entry>
    {
        [nameof(Mlp)] = new(() => new Mlp(),
            [Linear(t => Monarch(t, "0.", 32, 32), "0.bias"), Activation("gelu"), Linear(t => LowRank(t, "2."), "2.bias")],
            ["0.blkdiag1", "0.blkdiag2", "0.bias", "2.A", "2.B", "2.bias"]),
        [nameof(Deep)] = new(() => new Deep(),
            [Activation("relu"), Linear(t => BlockDiagonal(t, "1.", 12, 16), "1.bias"), Activation("tanh"),
             Linear(t => Adapter(t, "3.", alpha: 2), "3.bias"), Activation("sigmoid"), Linear(t => Dense(t, "5."), "5.bias")],
            ["1.weight", "1.bias", "3.weight", "3.lora_A", "3.lora_B", "3.bias", "5.weight", "5.bias"]),
        [nameof(Squash)] = new(() => new Squash(),
            [Linear(t => Dense(t, "0."), "0.bias"), Activation("tanh")],
            ["0.weight", "0.bias"]),
        [nameof(OnlySigmoid)] = new(() => new OnlySigmoid(),
            [Activation("sigmoid")],
            []),
        [nameof(ChainStep)] = new(() => new ChainStep(),
            [Linear(t => Chain(BlockDiagonal(t, "0.0.", 12, 16), LowRank(t, "0.1."), Dense(t, "0.2.")), "0.bias"), Activation("relu")],
            ["0.0.weight", "0.1.A", "0.1.B", "0.2.weight", "0.bias"]),
        [nameof(Big)] = new(() => new Big(),
            [Linear(t => Monarch(t, "0.", 784, 784), "0.bias"), Activation("gelu"), Linear(t => LowRank(t, "2."), "2.bias")],
            ["0.blkdiag1", "0.blkdiag2", "0.bias", "2.A", "2.B", "2.bias"]),
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>Models small enough for finite differences.</summary>
    public static IEnumerable<object[]> Small => All.Where(kv => kv.Value.Create().ParameterCount <= 20_000).Select(kv => new object[] { kv.Key });

    /// <summary>A model with random parameters (a fresh adapter's lora_B is zero).</summary>
    public static IStructuredModel CreateRandomized(string name, int seed = 23)
    {
        IStructuredModel model = All[name].Create();
        LayerCatalog.Randomize(model.Parameters, seed, 0.5f);
        return model;
    }

    public static double[] Reference(string name, IStructuredModel model, double[] x, int batch)
        => ModelReference.Forward(All[name].Steps, new TensorSet(model.Tensors, model.Parameters), x, batch);
}
