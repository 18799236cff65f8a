using System;
using System.Collections.Generic;
using System.Linq;

namespace StructGen.Layers.Tests;

/// <summary>The generated layers under test, by name, for theories.</summary>
public static class LayerCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<IStructuredLinear>> All = new Dictionary<string, Func<IStructuredLinear>>
    {
        [nameof(Dense37x29)] = () => new Dense37x29(),
        [nameof(Dense64x48NoBias)] = () => new Dense64x48NoBias(),
        [nameof(LowRank100x300)] = () => new LowRank100x300(),
        [nameof(LowRank96x40)] = () => new LowRank96x40(),
        [nameof(FfnDown)] = () => new FfnDown(),
        [nameof(Monarch64)] = () => new Monarch64(),
        [nameof(Monarch36x100)] = () => new Monarch36x100(),
        [nameof(Monarch100x60)] = () => new Monarch100x60(),
        [nameof(MonarchPadded10x14)] = () => new MonarchPadded10x14(),
        [nameof(MonarchPadded30x18)] = () => new MonarchPadded30x18(),
        [nameof(FfnUp)] = () => new FfnUp(),
        [nameof(Kron64)] = () => new Kron64(),
        [nameof(Kron12x35)] = () => new Kron12x35(),
        [nameof(Mixer)] = () => new Mixer(),
        [nameof(Blast64x48)] = () => new Blast64x48(),
        [nameof(Blast30x20)] = () => new Blast30x20(),
        [nameof(BlastGrid)] = () => new BlastGrid(),
        [nameof(Attn)] = () => new Attn(),
        [nameof(BlastTallTiles)] = () => new BlastTallTiles(),
        [nameof(BlastTallBackward)] = () => new BlastTallBackward(),
        [nameof(Groups)] = () => new Groups(),
        [nameof(BlockDiag30x45)] = () => new BlockDiag30x45(),
        [nameof(BlockDiagPadded10x7)] = () => new BlockDiagPadded10x7(),
        [nameof(KernelTails)] = () => new KernelTails(),
        [nameof(Monarch128Blocks32)] = () => new Monarch128Blocks32(),
        [nameof(Outer.NestedMonarch)] = () => new Outer.NestedMonarch(),
    };

    /// <summary>Every layer.</summary>
    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>Layers small enough for finite differences over a double-precision reference.</summary>
    public static IEnumerable<object[]> Small => All.Where(kv => { var l = kv.Value(); return (long)l.InFeatures * l.OutFeatures <= 40_000; }).Select(kv => new object[] { kv.Key });

    /// <summary>Layers whose dense weight is small enough to multiply in double precision for every test row.</summary>
    public static IEnumerable<object[]> Moderate => All.Where(kv => { var l = kv.Value(); return (long)l.InFeatures * l.OutFeatures <= 1_100_000; }).Select(kv => new object[] { kv.Key });

    public static IStructuredLinear Create(string name) => All[name]();

    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return data;
    }
}
