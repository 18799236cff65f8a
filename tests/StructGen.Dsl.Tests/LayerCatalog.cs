using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Dsl.Tests.Attributes;
using StructGen.Dsl.Tests.Layers;
using StructGen.Dsl.Tests.Oracle;
using static StructGen.Dsl.Tests.Oracle.DenseWeight;

namespace StructGen.Dsl.Tests;

/// <summary>
/// The composite layers under test, each with its dense weight rebuilt from its named tensors by the
/// composition rules (STRUCTURES.md, docs/dsl.md), and the tensor names it must have, in order.
/// </summary>
public static class LayerCatalog
{
    public sealed record Entry(Func<IStructuredLinear> Create, Func<TensorSet, Matrix> Weight, string[] Tensors);

    public static readonly IReadOnlyDictionary<string, Entry> All = new Dictionary<string, Entry>
    {
        [nameof(SumMonarchLowRank)] = new(() => new SumMonarchLowRank(),
            t => Sum(Monarch(t, "0.", 64, 64), LowRank(t, "1.")),
            ["0.blkdiag1", "0.blkdiag2", "1.A", "1.B", "bias"]),
        [nameof(SumOfThree)] = new(() => new SumOfThree(),
            t => Sum(BlockDiagonal(t, "0.", 30, 45), Kronecker(t, "1."), Dense(t, "2.")),
            ["0.weight", "1.w1", "1.w2", "2.weight", "bias"]),
        [nameof(SumPadded)] = new(() => new SumPadded(),
            t => Sum(Blast(t, "0."), Monarch(t, "1.", 10, 14)),
            ["0.B", "0.C", "0.D", "1.blkdiag1", "1.blkdiag2", "bias"]),
        [nameof(SumOfLowRanks)] = new(() => new SumOfLowRanks(),
            t => Sum(LowRank(t, "0."), LowRank(t, "1.")),
            ["0.A", "0.B", "1.A", "1.B", "bias"]),
        [nameof(Adapter)] = new(() => new Adapter(),
            t => Adapter(t, "", alpha: 4),
            ["weight", "lora_A", "lora_B", "bias"]),
        [nameof(AdapterScaled)] = new(() => new AdapterScaled(),
            t => Adapter(t, "", alpha: 16),
            ["weight", "lora_A", "lora_B", "bias"]),
        [nameof(ChainLowRankDense)] = new(() => new ChainLowRankDense(),
            t => Chain(LowRank(t, "0."), Dense(t, "1.")),
            ["0.A", "0.B", "1.weight", "bias"]),
        [nameof(ChainOfThree)] = new(() => new ChainOfThree(),
            t => Chain(Monarch(t, "0.", 36, 48), Kronecker(t, "1."), BlockDiagonal(t, "2.", 80, 100)),
            ["0.blkdiag1", "0.blkdiag2", "1.w1", "1.w2", "2.weight", "bias"]),
        [nameof(AdapterInSum)] = new(() => new AdapterInSum(),
            t => Sum(Adapter(t, "0.", alpha: 2), BlockDiagonal(t, "1.", 16, 16)),
            ["0.weight", "0.lora_A", "0.lora_B", "1.weight", "bias"]),
        [nameof(ChainInSum)] = new(() => new ChainInSum(),
            t => Sum(Blast(t, "0."), Chain(LowRank(t, "1.0."), Dense(t, "1.1."))),
            ["0.B", "0.C", "0.D", "1.0.A", "1.0.B", "1.1.weight", "bias"]),
        [nameof(SumInChain)] = new(() => new SumInChain(),
            t => Chain(Sum(Dense(t, "0.0."), Monarch(t, "0.1.", 20, 10)), LowRank(t, "1.")),
            ["0.0.weight", "0.1.blkdiag1", "0.1.blkdiag2", "1.A", "1.B", "bias"]),
        [nameof(AdapterInChain)] = new(() => new AdapterInChain(),
            t => Chain(Adapter(t, "0.", alpha: 2), Kronecker(t, "1.")),
            ["0.weight", "0.lora_A", "0.lora_B", "1.w1", "1.w2", "bias"]),
        [nameof(Up)] = new(() => new Up(),
            t => Monarch(t, "", 16, 32),
            ["blkdiag1", "blkdiag2", "bias"]),
        [nameof(Ffn)] = new(() => new Ffn(),
            t => Chain(Monarch(t, "0.", 16, 32), LowRank(t, "1.")),
            ["0.blkdiag1", "0.blkdiag2", "1.A", "1.B", "bias"]),
        [nameof(LoRA768)] = new(() => new LoRA768(),
            t => Adapter(t, "", alpha: 8),
            ["weight", "lora_A", "lora_B", "bias"]),
        [nameof(Adapter768)] = new(() => new Adapter768(),
            t => Adapter(t, "", alpha: 8),
            ["weight", "lora_A", "lora_B", "bias"]),
        [nameof(ChainNoBias)] = new(() => new ChainNoBias(),
            t => Chain(Monarch(t, "0.", 64, 32), LowRank(t, "1.")),
            ["0.blkdiag1", "0.blkdiag2", "1.A", "1.B"]),
        [nameof(VerbatimSum)] = new(() => new VerbatimSum(),
            t => Sum(BlockDiagonal(t, "0.", 10, 6), Dense(t, "1.")),
            ["0.weight", "1.weight", "bias"]),
        [nameof(RawSum)] = new(() => new RawSum(),
            t => Sum(Kronecker(t, "0."), LowRank(t, "1.")),
            ["0.w1", "0.w2", "1.A", "1.B", "bias"]),
        [nameof(NamedAdapter)] = new(() => new NamedAdapter(),
            t => Adapter(t, "", alpha: 6),
            ["weight", "lora_A", "lora_B", "bias"]),
        [nameof(Outer.NestedSum)] = new(() => new Outer.NestedSum(),
            t => Sum(Blast(t, "0."), Blast(t, "1.")),
            ["0.B", "0.C", "0.D", "1.B", "1.C", "1.D", "bias"]),
    };

    /// <summary>Every layer.</summary>
    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>Layers small enough for finite differences over a double-precision reference.</summary>
    public static IEnumerable<object[]> Small => All.Where(kv => { IStructuredLinear l = kv.Value.Create(); return (long)l.InFeatures * l.OutFeatures <= 40_000; }).Select(kv => new object[] { kv.Key });

    /// <summary>
    /// A layer whose every parameter is random (a fresh adapter's lora_B is zero, which would hide mistakes in
    /// the update's gradients).
    /// </summary>
    public static IStructuredLinear CreateRandomized(string name, int seed = 17)
    {
        IStructuredLinear layer = All[name].Create();
        Randomize(layer.Parameters, seed, 0.5f);
        return layer;
    }

    public static void Randomize(Span<float> values, int seed, float scale)
    {
        var rng = new Random(seed);
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
    }

    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var data = new float[length];
        Randomize(data, seed, scale);
        return data;
    }
}
