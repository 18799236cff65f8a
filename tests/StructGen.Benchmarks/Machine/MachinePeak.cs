using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StructGen.Benchmarks.Native;

namespace StructGen.Benchmarks.Machine;

/// <summary>
/// The limits of one core of this machine, measured in the same run as the benchmarks: the FP32 FMA peak
/// (independent fused multiply-adds on the widest hardware-accelerated vector) and the read bandwidth
/// (a sum over a buffer much larger than the last-level cache). Every result is reported against them.
/// </summary>
internal sealed class MachinePeak
{
    private const int Accumulators = 12;
    private const long BandwidthBytes = 256L << 20;

    private MachinePeak(double gflops, int vectorBits, double gflops256, double gflops512, double bandwidth)
    {
        GflopsPerSecond = gflops;
        VectorBits = vectorBits;
        Gflops256 = gflops256;
        Gflops512 = gflops512;
        ReadBandwidthGBps = bandwidth;
    }

    /// <summary>The peak of this run; <see langword="null"/> until <see cref="Measure"/> has run.</summary>
    public static MachinePeak? Current { get; private set; }

    /// <summary>FP32 FMA peak of one thread, GFLOP/s (the best of the accelerated widths).</summary>
    public double GflopsPerSecond { get; }

    /// <summary>Width, in bits, that reached <see cref="GflopsPerSecond"/>.</summary>
    public int VectorBits { get; }

    /// <summary>Peak with Vector256 (0 when not accelerated).</summary>
    public double Gflops256 { get; }

    /// <summary>Peak with Vector512 (0 when not accelerated).</summary>
    public double Gflops512 { get; }

    /// <summary>Read bandwidth of one thread from memory, GB/s (10⁹ bytes per second).</summary>
    public double ReadBandwidthGBps { get; }

    /// <summary>Measures both limits (a few seconds), stores them in <see cref="Current"/> and returns them.</summary>
    public static MachinePeak Measure()
    {
        double g256 = Vector256.IsHardwareAccelerated ? Best(() => FmaGflops256()) : 0;
        double g512 = Vector512.IsHardwareAccelerated ? Best(() => FmaGflops512()) : 0;
        double bandwidth = ReadBandwidth();
        var peak = g512 > g256
            ? new MachinePeak(g512, 512, g256, g512, bandwidth)
            : new MachinePeak(g256, 256, g256, g512, bandwidth);
        Current = peak;
        return peak;
    }

    /// <summary>One line for the console and the README.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"FMA peak {GflopsPerSecond:F1} GFLOP/s (Vector{VectorBits}; V256 {Gflops256:F1}, V512 {(Gflops512 > 0 ? $"{Gflops512:F1}" : "n/a")}), read bandwidth {ReadBandwidthGBps:F1} GB/s ({(ProcessCpuClock.InUse ? "process CPU time" : "wall time")})");

    // The best of many short trials: a peak is a maximum, and short trials are the likeliest to run
    // undisturbed on a shared machine.
    private static double Best(Func<double> trial)
    {
        double best = 0;
        double end = ProcessCpuClock.Now() + 1.5;
        for (int i = 0; i < 2000 && (i < 50 || ProcessCpuClock.Now() < end); i++)
        {
            best = Math.Max(best, trial());
        }
        return best;
    }

    private static double FmaGflops256()
    {
        const long iterations = 400_000;
        double start = ProcessCpuClock.Now();
        float sink = Fma256(iterations);
        double seconds = ProcessCpuClock.Now() - start;
        GC.KeepAlive(sink);
        return iterations * Accumulators * Vector256<float>.Count * 2 / seconds / 1e9;
    }

    private static double FmaGflops512()
    {
        const long iterations = 200_000;
        double start = ProcessCpuClock.Now();
        float sink = Fma512(iterations);
        double seconds = ProcessCpuClock.Now() - start;
        GC.KeepAlive(sink);
        return iterations * Accumulators * Vector512<float>.Count * 2 / seconds / 1e9;
    }

    // Twelve independent chains: enough to cover FMA latency (4-5 cycles) times the FMA ports (2) of
    // current x86 cores, and still fits the 16 ymm registers with the two constants.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma256(long iterations)
    {
        Vector256<float> m = Vector256.Create(0.9999999f), c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0.10f), a1 = Vector256.Create(0.11f), a2 = Vector256.Create(0.12f);
        Vector256<float> a3 = Vector256.Create(0.13f), a4 = Vector256.Create(0.14f), a5 = Vector256.Create(0.15f);
        Vector256<float> a6 = Vector256.Create(0.16f), a7 = Vector256.Create(0.17f), a8 = Vector256.Create(0.18f);
        Vector256<float> a9 = Vector256.Create(0.19f), a10 = Vector256.Create(0.20f), a11 = Vector256.Create(0.21f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma512(long iterations)
    {
        Vector512<float> m = Vector512.Create(0.9999999f), c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0.10f), a1 = Vector512.Create(0.11f), a2 = Vector512.Create(0.12f);
        Vector512<float> a3 = Vector512.Create(0.13f), a4 = Vector512.Create(0.14f), a5 = Vector512.Create(0.15f);
        Vector512<float> a6 = Vector512.Create(0.16f), a7 = Vector512.Create(0.17f), a8 = Vector512.Create(0.18f);
        Vector512<float> a9 = Vector512.Create(0.19f), a10 = Vector512.Create(0.20f), a11 = Vector512.Create(0.21f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    private static unsafe double ReadBandwidth()
    {
        using var buffer = new AlignedBuffer(BandwidthBytes / sizeof(float));
        buffer.Span.Fill(1f); // touch every page so the timed passes read memory, not fault it in
        double best = 0;
        for (int pass = 0; pass < 15; pass++)
        {
            double start = ProcessCpuClock.Now();
            float sink = Sum(buffer.Pointer, buffer.Length);
            double seconds = ProcessCpuClock.Now() - start;
            GC.KeepAlive(sink);
            best = Math.Max(best, BandwidthBytes / seconds / 1e9);
        }
        return best;
    }

    // Eight independent accumulators so the adds never limit the loads.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Sum(float* p, long length)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
        long i = 0;
        for (; i + 64 <= length; i += 64)
        {
            s0 += Vector256.Load(p + i);
            s1 += Vector256.Load(p + i + 8);
            s2 += Vector256.Load(p + i + 16);
            s3 += Vector256.Load(p + i + 24);
            s4 += Vector256.Load(p + i + 32);
            s5 += Vector256.Load(p + i + 40);
            s6 += Vector256.Load(p + i + 48);
            s7 += Vector256.Load(p + i + 56);
        }
        float tail = 0;
        for (; i < length; i++)
        {
            tail += p[i];
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7) + tail;
    }
}
