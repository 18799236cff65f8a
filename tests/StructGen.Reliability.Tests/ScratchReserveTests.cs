using System;
using StructGen.Kernels;

namespace StructGen.Reliability.Tests;

/// <summary>
/// A layer split over n threads rents n scratch buffers at once. Setting <c>ThreadCount</c> reserves them, so the
/// first call whose chunks overlap (on a busy machine possibly long after warm-up) allocates nothing: CI once saw the
/// two-thread steady-state test allocate one Monarch scratch buffer (274,456 bytes) on the worker.
/// </summary>
[Collection(nameof(AllocationCollection))]
public class ScratchReserveTests
{
    [Fact]
    public void Reserved_buffers_are_rented_without_allocating()
    {
        var pool = new ScratchPool(1000);
        pool.Reserve(3);
        long before = GC.GetAllocatedBytesForCurrentThread();
        float[] a = pool.Rent(), b = pool.Rent(), c = pool.Rent();
        long rentedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, rentedBytes);
        Assert.True(AlignedArray.Capacity(a) >= 1000);
        Assert.NotSame(a, b);
        Assert.NotSame(b, c);
        Assert.NotSame(a, c);

        // A fourth concurrent renter was not reserved for: it gets a new buffer.
        before = GC.GetAllocatedBytesForCurrentThread();
        float[] d = pool.Rent();
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before >= 1000 * sizeof(float));
        Assert.True(AlignedArray.Capacity(d) >= 1000);
    }

    [Fact]
    public void Reserve_counts_buffers_already_created()
    {
        var pool = new ScratchPool(1000);
        float[] first = pool.Rent(); // created by a call, in use
        pool.Reserve(2);             // one more is created
        long before = GC.GetAllocatedBytesForCurrentThread();
        float[] second = pool.Rent();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Setting_ThreadCount_reserves_a_buffer_per_thread()
    {
        var layer = new MonarchLayer();
        long before = GC.GetAllocatedBytesForCurrentThread();
        layer.ThreadCount = 3;
        long reservedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        // Three scratch buffers of the layer's scratch length (at least a tile of Monarch 256 → 512 activations).
        Assert.True(reservedBytes >= 3 * 64 * 512 * sizeof(float), $"setting ThreadCount = 3 allocated {reservedBytes} bytes");
        before = GC.GetAllocatedBytesForCurrentThread();
        layer.ThreadCount = 2;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
