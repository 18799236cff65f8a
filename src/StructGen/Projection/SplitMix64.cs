using System;

namespace StructGen.Projection;

/// <summary>
/// The seeded random source of the randomized factorizations: SplitMix64, so a seed gives the same
/// numbers on every machine and runtime (no dependence on <see cref="Random"/>'s implementation).
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    /// <summary>Starts the stream for <paramref name="seed"/>.</summary>
    public SplitMix64(int seed) => _state = 0x5DEECE66DUL ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in <c>[0, 1)</c> with 53 random bits.</summary>
    public double NextDouble()
    {
        _state += 0x9E3779B97F4A7C15UL;
        ulong z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Standard normal (Box–Muller; one of the pair is dropped to keep the state a single word).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal values.</summary>
    public void FillGaussian(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGaussian();
        }
    }
}
