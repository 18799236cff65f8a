using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Threading;

namespace StructGen.Kernels;

/// <summary>
/// Splits a layer's batch over threads in chunks of whole tiles. Chunk boundaries depend only on the
/// batch, the tile size and the thread count, so a given thread count always gives the same bits;
/// different thread counts differ only by floating-point reassociation of the parameter-gradient sums
/// (forward results are identical for every thread count). No allocation in steady state: jobs are
/// pooled, the caller's buffers are pinned for the duration of the call, and the per-chunk gradient
/// buffers stay with the pooled job (64-byte aligned, <see cref="AlignedArray"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class ParallelRows
{
    /// <summary>Largest thread count a layer accepts.</summary>
    public static int MaxThreads => Math.Max(1, Environment.ProcessorCount);

    /// <summary>Bytes allocated on the worker threads while they ran layer work, since the process started (for allocation tests).</summary>
    public static long WorkerAllocatedBytes => WorkerPool.Shared.HelperAllocatedBytes;

    /// <summary>Validates a user-set thread count.</summary>
    public static int CheckThreadCount(int value)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException("value", value, "ThreadCount must be at least 1 (1 runs on the calling thread only).");
        }
        return value;
    }

    /// <summary>How many chunks a batch is split into for <paramref name="threads"/> threads.</summary>
    public static int ChunkCount(int batch, int tileRows, int threads)
    {
        int tiles = (batch + tileRows - 1) / tileRows;
        return Math.Max(1, Math.Min(Math.Min(threads, MaxThreads), tiles));
    }

    /// <summary>
    /// Runs <see cref="ITiledLayer.ForwardRows"/> over the batch on <paramref name="threads"/> threads, each chunk writing
    /// its rows of <paramref name="saved"/> (<c>[batch, savedPerRow]</c>; empty: nothing is saved).
    /// </summary>
    public static void Forward(ITiledLayer layer, ReadOnlySpan<float> input, Span<float> output, Span<float> saved, int savedPerRow,
        int batch, int inFeatures, int outFeatures, int tileRows, int threads)
    {
        int chunks = ChunkCount(batch, tileRows, threads);
        bool streamOutput = OutputStreaming.Pays((long)batch * outFeatures); // decided for the whole call: the chunks share the caches
        if (chunks == 1)
        {
            layer.ForwardRows(input, output, batch, saved, streamOutput);
            return;
        }
        fixed (float* x = input)
        fixed (float* y = output)
        fixed (float* k = saved)
        {
            ForwardJob job = ForwardJob.Rent();
            job.Set(layer, x, y, saved.IsEmpty ? null : k, savedPerRow, batch, inFeatures, outFeatures, tileRows, chunks, streamOutput);
            WorkerPool.Shared.Run(job, chunks - 1);
            job.Clear();
            ForwardJob.Return(job);
        }
    }

    /// <summary>
    /// Runs <see cref="ITiledLayer.BackwardRows"/> over the batch on <paramref name="threads"/> threads, each chunk reading
    /// its rows of the forward's saved intermediate (<c>[batch, savedPerRow]</c>; empty: recomputed). Chunk 0 adds into
    /// <paramref name="gradients"/>; the others into private buffers that are then added in chunk order.
    /// </summary>
    public static void Backward(ITiledLayer layer, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, Span<float> gradients,
        ReadOnlySpan<float> saved, int savedPerRow, int batch, int inFeatures, int outFeatures, int tileRows, int threads)
    {
        int chunks = ChunkCount(batch, tileRows, threads);
        if (chunks == 1)
        {
            layer.BackwardRows(input, outputGradient, inputGradient, batch, gradients, saved);
            return;
        }
        fixed (float* x = input)
        fixed (float* dy = outputGradient)
        fixed (float* dx = inputGradient)
        fixed (float* g = gradients)
        fixed (float* k = saved)
        {
            BackwardJob job = BackwardJob.Rent();
            job.Set(layer, x, dy, dx, g, gradients.Length, saved.IsEmpty ? null : k, savedPerRow, batch, inFeatures, outFeatures, tileRows, chunks);
            WorkerPool.Shared.Run(job, chunks - 1);
            SumPrivateGradients(job, g, gradients.Length);
            job.Clear();
            BackwardJob.Return(job);
        }
    }

    /// <summary>
    /// Gradients of at least this many floats (256 KB) are summed by all the call's threads, each over its own range:
    /// summed on the calling thread alone, Monarch 4096's 2 MB (read twice, written once) and BLAST 4096's 4.2 MB were a
    /// serial tail of the two-thread backward. Smaller ones are summed on the calling thread (a second job costs more).
    /// </summary>
    internal const int ParallelSumFloats = 64 * 1024;

    /// <summary>
    /// <c>gradients += Σ private(c)</c> for the job's chunks 1, 2, …, added in chunk order element by element,
    /// so the bits are the same whether the ranges are summed on one thread or several.
    /// </summary>
    private static void SumPrivateGradients(BackwardJob job, float* g, int length)
    {
        if (length < ParallelSumFloats)
        {
            var gradients = new Span<float>(g, length);
            for (int c = 1; c < job.Chunks; c++)
            {
                TensorPrimitives.Add(gradients, job.Private(c), gradients);
            }
            return;
        }
        GradientSumJob sum = GradientSumJob.Rent();
        sum.Set(job, g, length);
        WorkerPool.Shared.Run(sum, job.Chunks - 1);
        sum.Clear();
        GradientSumJob.Return(sum);
    }

    /// <summary>The rows of chunk <paramref name="chunk"/>: whole tiles, spread as evenly as possible.</summary>
    internal static (int First, int Count) Rows(int chunk, int chunks, int batch, int tileRows)
    {
        int tiles = (batch + tileRows - 1) / tileRows;
        int firstTile = (int)((long)tiles * chunk / chunks);
        int endTile = (int)((long)tiles * (chunk + 1) / chunks);
        int first = firstTile * tileRows;
        int end = Math.Min(batch, endTile * tileRows);
        return (first, end - first);
    }

    private sealed class ForwardJob : ParallelJob
    {
        private static ForwardJob? s_spare;
        private ITiledLayer? _layer;
        private float* _x, _y, _saved;
        private int _savedPerRow, _batch, _in, _out, _tileRows, _chunks;
        private bool _streamOutput;

        public static ForwardJob Rent() => Interlocked.Exchange(ref s_spare, null) ?? new ForwardJob();

        public static void Return(ForwardJob job) => Interlocked.CompareExchange(ref s_spare, job, null);

        public void Set(ITiledLayer layer, float* x, float* y, float* saved, int savedPerRow, int batch, int inFeatures, int outFeatures, int tileRows, int chunks, bool streamOutput)
        {
            _streamOutput = streamOutput;
            _layer = layer;
            _x = x;
            _y = y;
            _saved = saved;
            _savedPerRow = savedPerRow;
            (_batch, _in, _out, _tileRows, _chunks) = (batch, inFeatures, outFeatures, tileRows, chunks);
            Prepare(chunks);
        }

        public void Clear() => _layer = null;

        protected override void RunChunk(int chunk)
        {
            (int first, int count) = Rows(chunk, _chunks, _batch, _tileRows);
            if (count > 0)
            {
                Span<float> saved = _saved == null ? default : new Span<float>(_saved + (long)first * _savedPerRow, count * _savedPerRow);
                _layer!.ForwardRows(new ReadOnlySpan<float>(_x + (long)first * _in, count * _in), new Span<float>(_y + (long)first * _out, count * _out), count, saved, _streamOutput);
            }
        }
    }

    private sealed class BackwardJob : ParallelJob
    {
        private static BackwardJob? s_spare;
        private readonly float[]?[] _private = new float[]?[64];
        private ITiledLayer? _layer;
        private float* _x, _dy, _dx, _g, _saved;
        private int _gLength, _savedPerRow, _batch, _in, _out, _tileRows, _chunks;

        public static BackwardJob Rent() => Interlocked.Exchange(ref s_spare, null) ?? new BackwardJob();

        public static void Return(BackwardJob job) => Interlocked.CompareExchange(ref s_spare, job, null);

        public void Set(ITiledLayer layer, float* x, float* dy, float* dx, float* g, int gradientLength, float* saved, int savedPerRow,
            int batch, int inFeatures, int outFeatures, int tileRows, int chunks)
        {
            _layer = layer;
            _x = x;
            _dy = dy;
            _dx = dx;
            _g = g;
            _saved = saved;
            _savedPerRow = savedPerRow;
            (_gLength, _batch, _in, _out, _tileRows) = (gradientLength, batch, inFeatures, outFeatures, tileRows);
            _chunks = Math.Min(chunks, _private.Length);
            for (int c = 1; c < _chunks; c++)
            {
                // Kept by the pooled job and grown to the largest gradient seen: aligned like the layer's own gradients.
                if (_private[c] is not float[] buffer || AlignedArray.Capacity(buffer) < gradientLength)
                {
                    _private[c] = AlignedArray.Allocate(gradientLength, zeroed: false);
                }
            }
            Prepare(_chunks);
        }

        public Span<float> Private(int chunk) => AlignedArray.Span(_private[chunk]!, _gLength);

        /// <summary>Chunks of this call (at most the number of private buffers the job keeps).</summary>
        public int Chunks => _chunks;

        public void Clear() => _layer = null;

        protected override void RunChunk(int chunk)
        {
            Span<float> gradients = chunk == 0 ? new Span<float>(_g, _gLength) : Private(chunk);
            if (chunk != 0)
            {
                gradients.Clear(); // on the thread that fills it, in parallel with the other chunks
            }
            (int first, int count) = Rows(chunk, _chunks, _batch, _tileRows);
            if (count <= 0)
            {
                return;
            }
            _layer!.BackwardRows(
                new ReadOnlySpan<float>(_x + (long)first * _in, count * _in),
                new ReadOnlySpan<float>(_dy + (long)first * _out, count * _out),
                new Span<float>(_dx + (long)first * _in, count * _in),
                count, gradients,
                _saved == null ? default : new ReadOnlySpan<float>(_saved + (long)first * _savedPerRow, count * _savedPerRow));
        }
    }

    /// <summary>Sums the private gradients of a <see cref="BackwardJob"/> into the layer's, one range of floats per chunk.</summary>
    private sealed class GradientSumJob : ParallelJob
    {
        private static GradientSumJob? s_spare;
        private BackwardJob? _job;
        private float* _g;
        private int _length, _chunks;

        public static GradientSumJob Rent() => Interlocked.Exchange(ref s_spare, null) ?? new GradientSumJob();

        public static void Return(GradientSumJob job) => Interlocked.CompareExchange(ref s_spare, job, null);

        public void Set(BackwardJob job, float* g, int length)
        {
            _job = job;
            _g = g;
            (_length, _chunks) = (length, job.Chunks);
            Prepare(_chunks);
        }

        public void Clear() => _job = null;

        protected override void RunChunk(int chunk)
        {
            // Ranges of whole cache lines (16 floats), as even as possible; the last takes the rest.
            int lines = (_length + 15) / 16;
            int first = (int)((long)lines * chunk / _chunks) * 16;
            int end = Math.Min(_length, (int)((long)lines * (chunk + 1) / _chunks) * 16);
            if (end <= first)
            {
                return;
            }
            var gradients = new Span<float>(_g + first, end - first);
            for (int c = 1; c < _chunks; c++)
            {
                TensorPrimitives.Add(gradients, _job!.Private(c).Slice(first, end - first), gradients);
            }
        }
    }
}
