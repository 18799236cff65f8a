using System;
using System.Diagnostics;
using System.Threading;

namespace StructGen.Kernels;

/// <summary>
/// Background threads that help a caller finish a <see cref="ParallelJob"/>. Threads are created once
/// (up to the largest thread count ever asked for, at most the processor count) and wait on a
/// semaphore between jobs, so steady-state parallel calls allocate nothing. After a job a helper spins
/// for <see cref="SpinMicroseconds"/> before it blocks: layers are called back to back (a training step,
/// a batch loop), and waking a blocked thread costs tens of microseconds (more in a VM, where the idle
/// vCPU is halted), as much as a chunk of a small batch.
/// </summary>
internal sealed class WorkerPool
{
    private const int QueueCapacity = 256;

    /// <summary>How long a helper (and a caller waiting for its helpers) spins before blocking.</summary>
    internal const int SpinMicroseconds = 1000;

    internal static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    public static readonly WorkerPool Shared = new();

    private readonly object _lock = new();
    private readonly ParallelJob?[] _queue = new ParallelJob?[QueueCapacity];
    private readonly SemaphoreSlim _available = new(0);
    private int _head;
    private int _count;
    private int _threads;
    private long _helperAllocatedBytes;

    /// <summary>Bytes the pool threads allocated while running jobs (measured per job, on each thread).</summary>
    public long HelperAllocatedBytes => Interlocked.Read(ref _helperAllocatedBytes);

    /// <summary>Runs <paramref name="job"/>'s chunks on the calling thread and up to <paramref name="helpers"/> pool threads; returns when all are done.</summary>
    public void Run(ParallelJob job, int helpers)
    {
        helpers = Math.Min(helpers, Environment.ProcessorCount - 1);
        EnsureThreads(helpers);
        int queued = 0;
        lock (_lock)
        {
            for (; queued < helpers && _count < QueueCapacity; queued++)
            {
                _queue[(_head + _count) % QueueCapacity] = job;
                _count++;
            }
        }
        job.BeginHelpers(queued);
        if (queued > 0)
        {
            _available.Release(queued);
        }
        job.Work();           // the caller takes chunks too
        job.WaitForCompletion();
    }

    private void EnsureThreads(int wanted)
    {
        if (Volatile.Read(ref _threads) >= wanted)
        {
            return;
        }
        lock (_lock)
        {
            while (_threads < wanted)
            {
                var thread = new Thread(Loop) { IsBackground = true, Name = "StructGen worker " + _threads };
                thread.Start();
                _threads++;
            }
        }
    }

    private void Loop()
    {
        // The pack buffers every helper needs, allocated before its first job: a helper that first takes a chunk
        // after warm-up (the caller takes every chunk of a call when the helper is slow to wake) allocates nothing.
        PackBuffer.Activations(0);
        PackBuffer.Weights(0);
        while (true)
        {
            if (!SpinForWork())
            {
                _available.Wait();
            }
            ParallelJob? job;
            lock (_lock)
            {
                job = _queue[_head];
                _queue[_head] = null;
                _head = (_head + 1) % QueueCapacity;
                _count--;
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            job?.WorkAsHelper();
            Interlocked.Add(ref _helperAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    /// <summary>Spins up to <see cref="SpinTicks"/> for a queued job; true when it took one (a semaphore count).</summary>
    private bool SpinForWork()
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        do
        {
            if (_available.CurrentCount > 0 && _available.Wait(0))
            {
                return true;
            }
            Thread.SpinWait(20);
        }
        while (Stopwatch.GetTimestamp() < deadline);
        return false;
    }
}

/// <summary>
/// A unit of parallel work split into numbered chunks. Chunks are claimed with an interlocked counter by
/// the caller and its helpers; the caller returns only when every chunk is done and every helper has let
/// go of the job, so the job object can be reused for the next call.
/// </summary>
internal abstract class ParallelJob
{
    // Released once by whoever finishes last; a semaphore rather than a ManualResetEventSlim because
    // the latter creates its lock on the first blocking wait, an allocation in whichever call first
    // outlasts the spin.
    private readonly SemaphoreSlim _done = new(0);
    private int _chunks;
    private int _next;
    private int _remaining;
    private int _helpers;

    protected void Prepare(int chunks)
    {
        _chunks = chunks;
        _next = 0;
        _remaining = chunks;
        while (_done.CurrentCount > 0)
        {
            _done.Wait(0); // a release the last call's caller did not need (it saw completion while spinning)
        }
    }

    /// <summary>Runs chunk <paramref name="chunk"/>.</summary>
    protected abstract void RunChunk(int chunk);

    internal void BeginHelpers(int helpers) => Volatile.Write(ref _helpers, helpers);

    internal void Work()
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _next) - 1) < _chunks)
        {
            RunChunk(chunk);
            if (Interlocked.Decrement(ref _remaining) == 0 && Volatile.Read(ref _helpers) == 0)
            {
                _done.Release();
            }
        }
    }

    internal void WorkAsHelper()
    {
        Work();
        if (Interlocked.Decrement(ref _helpers) == 0 && Volatile.Read(ref _remaining) == 0)
        {
            _done.Release();
        }
    }

    internal void WaitForCompletion()
    {
        // Spin first: the helpers usually finish within a chunk's time, and a blocked caller would
        // pay a wake-up on top.
        long deadline = Stopwatch.GetTimestamp() + WorkerPool.SpinTicks;
        do
        {
            if (Volatile.Read(ref _remaining) == 0 && Volatile.Read(ref _helpers) == 0)
            {
                return;
            }
            Thread.SpinWait(20);
        }
        while (Stopwatch.GetTimestamp() < deadline);
        while (!(Volatile.Read(ref _remaining) == 0 && Volatile.Read(ref _helpers) == 0))
        {
            _done.Wait(1);
        }
    }
}
