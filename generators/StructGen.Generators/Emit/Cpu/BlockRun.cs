using System;
using System.Collections.Generic;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// Consecutive blocks of a block-diagonal factor that see the same number of real (unpadded) inputs and
/// outputs. Without padding there is one run over all blocks; fly's padding adds a short tail run whose
/// kernel is specialized to the real sizes, so padded features are never read or written.
/// </summary>
internal readonly record struct BlockRun(int First, int End, int RealIn, int RealOut)
{
    public int Count => End - First;

    /// <summary>Splits <paramref name="blocks"/> blocks of <paramref name="blockIn"/> × <paramref name="blockOut"/> over <paramref name="inFeatures"/> / <paramref name="outFeatures"/> real features.</summary>
    public static IReadOnlyList<BlockRun> Split(int blocks, int blockIn, int blockOut, int inFeatures, int outFeatures)
    {
        var runs = new List<BlockRun>();
        for (int k = 0; k < blocks; k++)
        {
            int realIn = Math.Max(0, Math.Min(blockIn, inFeatures - k * blockIn));
            int realOut = Math.Max(0, Math.Min(blockOut, outFeatures - k * blockOut));
            if (runs.Count > 0 && runs[runs.Count - 1] is { } last && last.RealIn == realIn && last.RealOut == realOut)
            {
                runs[runs.Count - 1] = last with { End = k + 1 };
            }
            else
            {
                runs.Add(new BlockRun(k, k + 1, realIn, realOut));
            }
        }
        return runs;
    }

    public string Describe(int blocks) => (Count == blocks ? $"all {blocks} blocks" : Count == 1 ? $"block {First}" : $"blocks {First}..{End - 1}")
        + $": {RealOut} × {RealIn}";
}
