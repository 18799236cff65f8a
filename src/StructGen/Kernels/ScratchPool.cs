using System;
using System.Threading;

namespace StructGen.Kernels;

/// <summary>
/// Scratch buffers a layer owns. Each call rents a buffer and returns it, so concurrent calls never share
/// one and, once every concurrent caller has had a buffer, nothing is allocated. Buffers come from
/// <see cref="AlignedArray.Allocate"/>: use <see cref="Length"/> floats from <see cref="AlignedArray.Start"/>.
/// </summary>
public sealed class ScratchPool
{
    private readonly float[]?[] _slots;
    private readonly int _length;
    private int _created;

    /// <summary>Creates a pool of buffers of <paramref name="length"/> floats.</summary>
    /// <param name="length">Length of every buffer.</param>
    /// <param name="slots">How many idle buffers the pool keeps.</param>
    public ScratchPool(int length, int slots = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        _length = length;
        _slots = new float[]?[slots];
    }

    /// <summary>Floats every buffer the pool hands out holds from its aligned start.</summary>
    public int Length => _length;

    /// <summary>Takes an idle buffer, or allocates one when all are in use.</summary>
    public float[] Rent()
    {
        float[]?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            float[]? buffer = Interlocked.Exchange(ref slots[i], null);
            if (buffer is not null)
            {
                return buffer;
            }
        }
        Interlocked.Increment(ref _created);
        return AlignedArray.Allocate(_length);
    }

    /// <summary>
    /// Allocates buffers until the pool has created at least <paramref name="count"/> (at most as many as it keeps
    /// idle): a layer split over <paramref name="count"/> threads rents that many at once, and without this the
    /// second would be allocated by the first call whose chunks happen to overlap, which can be long after warm-up on
    /// a busy machine.
    /// </summary>
    public void Reserve(int count)
    {
        int target = Math.Min(count, _slots.Length);
        while (Volatile.Read(ref _created) < target)
        {
            Interlocked.Increment(ref _created);
            Return(AlignedArray.Allocate(_length));
        }
    }

    /// <summary>Gives a buffer back for later calls.</summary>
    public void Return(float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        float[]?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref slots[i], buffer, null) is null)
            {
                return;
            }
        }
    }
}
