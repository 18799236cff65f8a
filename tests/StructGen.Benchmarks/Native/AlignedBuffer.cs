using System;
using System.Runtime.InteropServices;

namespace StructGen.Benchmarks.Native;

/// <summary>
/// A float buffer in native memory, 64-byte aligned (a cache line, one Vector512), so BLAS, the reference
/// forms and the generated kernels all see the same alignment and the GC never moves it.
/// </summary>
internal sealed unsafe class AlignedBuffer : IDisposable
{
    private float* _pointer;

    /// <summary>Allocates <paramref name="length"/> floats, zeroed.</summary>
    public AlignedBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)Math.Max(1, length) * sizeof(float);
        _pointer = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_pointer, bytes);
    }

    /// <summary>Number of floats.</summary>
    public long Length { get; }

    /// <summary>Address of the first float.</summary>
    public float* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(AlignedBuffer));

    /// <summary>The whole buffer (at most <see cref="int.MaxValue"/> floats).</summary>
    public Span<float> Span => new(Pointer, checked((int)Length));

    /// <summary>Fills the buffer with uniform values in <c>[-scale, scale)</c> from <paramref name="random"/>.</summary>
    public void FillUniform(Random random, float scale)
    {
        ArgumentNullException.ThrowIfNull(random);
        float* p = Pointer;
        for (long i = 0; i < Length; i++)
        {
            p[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
    }

    /// <summary>Sets every float to zero.</summary>
    public void Clear() => NativeMemory.Clear(Pointer, (nuint)Length * sizeof(float));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_pointer != null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
    }
}
