using System;
using ILGPU;
using ILGPU.Runtime;

namespace StructGen.Gpu;

/// <summary>
/// Argument checks of the GPU launchers, run before anything is enqueued. Each failure names the argument,
/// the size it must have and the size it has, as <see cref="Kernels.LayerGuard"/> does on the CPU.
/// </summary>
internal static class GpuGuard
{
    /// <summary>The batch is non-negative and every buffer of it (activations and scratch) is indexable with 32-bit ints.</summary>
    public static void Batch(int batch, int inFeatures, int outFeatures, int scratchFloatsPerRow)
    {
        if (batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be zero or positive: it is the number of rows in the [batch, features] views.");
        }
        long widest = Math.Max(Math.Max(inFeatures, outFeatures), scratchFloatsPerRow);
        if ((long)batch * widest > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch,
                $"batch·{widest} floats exceeds the 2^31 - 1 elements the kernels index with 32-bit integers; split the batch.");
        }
    }

    /// <summary>The view holds exactly <c>batch·features</c> floats and lives on <paramref name="accelerator"/>.</summary>
    public static void View(ArrayView<float> view, int batch, int features, string name, Accelerator accelerator)
    {
        long expected = (long)batch * features;
        long actual = view.IsValid ? view.Length : 0;
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{name} must hold batch·features = {batch}·{features} = {expected} floats but has {actual}. Pass a view of exactly that length (SubView of a larger buffer).",
                name);
        }
        if (expected > 0 && !ReferenceEquals(view.GetAccelerator(), accelerator))
        {
            throw new ArgumentException(
                $"{name} was allocated on accelerator '{view.GetAccelerator().Name}', but this layer lives on '{accelerator.Name}'. Allocate it with the same accelerator.",
                name);
        }
    }

    /// <summary>Two views of the same buffer must not share elements: the kernels read one while writing the other.</summary>
    public static void Disjoint(ArrayView<float> a, ArrayView<float> b, string nameA, string nameB)
    {
        if (!a.IsValid || !b.IsValid || a.Length == 0 || b.Length == 0 || !ReferenceEquals(BufferOf(a), BufferOf(b)))
        {
            return;
        }
        long ia = IndexOf(a), ib = IndexOf(b);
        bool overlap = ia < ib + b.Length && ib < ia + a.Length;
        if (overlap)
        {
            throw new ArgumentException(
                $"{nameA} and {nameB} overlap in device memory; the kernels read one while writing the other. Use separate views.",
                nameB);
        }
    }

    // Constrained generic calls read the interface members without boxing the view (no allocation per call).
    private static MemoryBuffer BufferOf<TView>(TView view) where TView : IArrayView => view.Buffer;

    private static long IndexOf<TView>(TView view) where TView : IContiguousArrayView => view.Index;

    /// <summary>A host span has the length of the parameter buffer.</summary>
    public static void Host(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} must hold the layer's {expected} parameters but has {actual}.", name);
        }
    }
}
