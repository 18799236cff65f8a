using System;

namespace StructGen.Initialization;

/// <summary>
/// Deterministic uniform initialization: the same seed gives the same bits on every machine and runtime
/// (SplitMix64, no dependence on <see cref="Random"/>'s implementation).
/// </summary>
public static class SeededUniform
{
    /// <summary>Fills <paramref name="destination"/> with values uniform in <c>[-bound, bound)</c>.</summary>
    /// <param name="destination">Values to overwrite.</param>
    /// <param name="bound">Half-width of the interval.</param>
    /// <param name="seed">Layer seed.</param>
    /// <param name="stream">Distinguishes tensors of one layer so they do not repeat each other.</param>
    public static void Fill(Span<float> destination, double bound, int seed, int stream)
    {
        ulong state = Mix(((ulong)(uint)seed << 32) ^ (uint)stream ^ 0x9E3779B97F4A7C15UL);
        for (int i = 0; i < destination.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong bits = Mix(state);
            double unit = (bits >> 11) * (1.0 / (1UL << 53));
            destination[i] = (float)((2.0 * unit - 1.0) * bound);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
