using System;
using System.Runtime.CompilerServices;
using StructGen.Kernels;

namespace StructGen.Reliability.Tests;

/// <summary>
/// Parameters, gradients, scratch and pack buffers are used from a 64-byte boundary: a plain float[] starts 16 bytes
/// past one, so every Vector512 access to it spans two cache lines (block diagonal 4096's batch-1 backward 145 → 115 µs
/// aligned). These pin the layout the generated code relies on: the aligned view holds the length asked for, inside
/// the array, and does not move.
/// </summary>
public class AlignedArrayTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(300_000)]
    public unsafe void Start_is_on_a_cache_line_with_the_length_after_it_inside_the_array(int length)
    {
        float[] array = AlignedArray.Allocate(length);
        ref float start = ref AlignedArray.Start(array);
        Assert.Equal(0, (long)Unsafe.AsPointer(ref start) % 64);
        long offset = Unsafe.ByteOffset(ref array[0], ref start) / sizeof(float);
        Assert.InRange(offset, 0, AlignedArray.Slack);
        Assert.True(offset + length <= array.Length, $"{length} floats from offset {offset} overrun an array of {array.Length}");
        Assert.True(AlignedArray.Capacity(array) >= length);
    }

    [Fact]
    public void The_span_is_zeroed_and_writes_land_at_the_aligned_start()
    {
        float[] array = AlignedArray.Allocate(100);
        Span<float> span = AlignedArray.Span(array, 100);
        Assert.Equal(100, span.Length);
        Assert.All(span.ToArray(), v => Assert.Equal(0f, v));
        span[0] = 42f;
        Assert.Equal(42f, AlignedArray.Start(array));
    }

    [Fact]
    public unsafe void The_aligned_start_survives_a_compacting_collection()
    {
        float[] array = AlignedArray.Allocate(4096);
        long before = (long)Unsafe.AsPointer(ref AlignedArray.Start(array));
        for (int i = 0; i < 100; i++)
        {
            _ = new byte[10_000]; // churn so a compaction has something to move
        }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(before, (long)Unsafe.AsPointer(ref AlignedArray.Start(array)));
    }

    [Fact]
    public void Negative_lengths_are_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => AlignedArray.Allocate(-1));

    [Fact]
    public unsafe void A_generated_layer_keeps_its_parameters_and_gradients_on_cache_lines()
    {
        var layer = new MonarchLayer();
        Assert.Equal(0, (long)Unsafe.AsPointer(ref layer.Parameters[0]) % 64);
        Assert.Equal(0, (long)Unsafe.AsPointer(ref layer.Gradients[0]) % 64);
        Assert.Equal(layer.ParameterCount, layer.Parameters.Length);
        Assert.Equal(layer.ParameterCount, layer.Gradients.Length);
    }
}
