using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace StructGen.Kernels;

/// <summary>
/// Software prefetch for generated kernels: asks the cache hierarchy for the line holding an address a kernel will
/// touch a few hundred cycles later. It never faults and never changes a result; where the hardware has no prefetch
/// instruction (or it is not x86), it does nothing. Generated code calls it where the hardware prefetchers cannot
/// guess the next access, e.g. the next block of a weight gradient that a product reads, adds to and writes back.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Prefetch
{
    /// <summary>Prefetches the cache line holding <paramref name="address"/> into every cache level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line(ref float address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref address));
        }
    }

    /// <summary>
    /// Prefetches every cache line of the <paramref name="count"/> floats from <paramref name="start"/> (one request per
    /// 16 floats and one for the last float, which covers a span that starts mid-line).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lines(ref float start, int count)
    {
        for (int i = 0; i < count; i += 16)
        {
            Line(ref Unsafe.Add(ref start, i));
        }
        Line(ref Unsafe.Add(ref start, count - 1));
    }

    /// <summary>Floats of a call's input (4 MB) from which its rows come from memory rather than the caches: see <see cref="PaysForCall"/>.</summary>
    public const long CallFloats = 1L << 20;

    /// <summary>
    /// Whether a call over <paramref name="inputFloats"/> floats of input (every row this thread runs) should request its
    /// operands' next blocks where rows are too close for the compile-time rule: once the call's rows no longer come from
    /// L3, every block of a tile waits on memory. Probe, Monarch 1024's saved backward (4 KB rows): 10.4–10.6 → 9.0–9.1 ms
    /// at batch 4096, 2.45–2.47 → 1.94–2.04 ms at 1024, 5.1–5.2 → 4.3–4.4 ms at 2048; level at 512, level to 4 % slower
    /// at 256 (the data then lies in L3).
    /// </summary>
    public static bool PaysForCall(long inputFloats) => inputFloats >= CallFloats;

    /// <summary>Floats of a call's output (8 MB) from which its lines come from memory when they are written: see <see cref="PaysForOutput"/>.</summary>
    public const long OutputFloats = 1L << 21;

    /// <summary>
    /// Whether a call writing <paramref name="outputFloats"/> floats of output (every row this thread runs) should request
    /// the lines of its next output block before storing into them: a store to a line that is not cached first reads it
    /// (read for ownership), and a product that writes one narrow column block of every row at a time, 4 KB or more
    /// apart, waits on each of those reads. Probe, BLAST 1024 forward (64-float output blocks of a rank-32 product) on
    /// 64-byte-aligned buffers: 4.5–4.8 → 3.6–3.9 ms at batch 4096 (16 MB of output), 1.7–2.1 → 1.7–1.9 ms at 2048; 2–5 %
    /// slower at 1024 and 256, whose output the caches keep between calls.
    /// </summary>
    public static bool PaysForOutput(long outputFloats) => outputFloats >= OutputFloats;

    /// <summary>
    /// Requests, into L2, the first <paramref name="count"/> floats of each of <paramref name="rows"/> rows of stride
    /// <paramref name="stride"/>: the next column block of a tile whose rows lie far apart (Monarch's first factor reads
    /// <c>x</c> one block of every row at a time, more short streams than the hardware prefetchers follow).
    /// </summary>
    public static unsafe void Columns(ref float start, nint stride, int count, int rows)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        for (nint b = 0; b < rows; b++)
        {
            byte* row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref start, b * stride));
            for (int i = 0; i < count; i += 16)
            {
                Sse.Prefetch1(row + 4 * i);
            }
        }
    }
}
