using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StructGen.Kernels;

/// <summary>
/// Per-thread buffers the generated products pack their operands into: contiguous, padded copies of
/// strided activations, and transposed weight panels. Each thread owns its buffers, allocated once at
/// their largest size and never cleared (packing overwrites what it reads), so steady-state calls
/// allocate nothing and pay no zeroing, unlike <c>stackalloc</c> without <c>SkipLocalsInit</c>.
/// There are two slots so a product that packs weights can call one that packs activations; the
/// generator never nests two uses of the same slot. Both start on a cache line (<see cref="AlignedArray"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PackBuffer
{
    [ThreadStatic]
    private static float[]? t_activations;

    [ThreadStatic]
    private static float[]? t_weights;

    /// <summary>The calling thread's activation slot, at least <paramref name="length"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref float Activations(int length)
    {
        float[]? buffer = t_activations;
        if (buffer is null || AlignedArray.Capacity(buffer) < length)
        {
            buffer = t_activations = Grow(length);
        }
        return ref AlignedArray.Start(buffer);
    }

    /// <summary>The calling thread's weight slot, at least <paramref name="length"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref float Weights(int length)
    {
        float[]? buffer = t_weights;
        if (buffer is null || AlignedArray.Capacity(buffer) < length)
        {
            buffer = t_weights = Grow(length);
        }
        return ref AlignedArray.Start(buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float[] Grow(int length) => AlignedArray.Allocate(Math.Max(length, 64 * 1024), zeroed: false);
}
