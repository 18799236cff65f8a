using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StructGen.Kernels;

/// <summary>
/// Shape-agnostic row operations the generated kernels call between their products: bias, clearing
/// padded columns, and the permutations (per-row transposes) of Monarch. Arguments are trusted: the
/// generated entry points validate every buffer before calling in.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RowOps
{
    /// <summary><c>y[b, o] += bias[o]</c> for <paramref name="rows"/> rows of <paramref name="columns"/>.</summary>
    public static void AddBias(ref float y, ref float bias, int columns, int rows)
    {
        for (nint b = 0; b < rows; b++)
        {
            Span<float> row = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, b * columns), columns);
            System.Numerics.Tensors.TensorPrimitives.Add(row, MemoryMarshal.CreateReadOnlySpan(ref bias, columns), row);
        }
    }

    /// <summary><c>gradient[o] += Σ_b dy[b, o]</c>: the bias gradient.</summary>
    public static void AddColumnSums(ref float dy, ref float gradient, int columns, int rows)
    {
        Span<float> target = MemoryMarshal.CreateSpan(ref gradient, columns);
        for (nint b = 0; b < rows; b++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(target, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref dy, b * columns), columns), target);
        }
    }

    /// <summary>Zeroes <paramref name="count"/> floats at the start of each of <paramref name="rows"/> rows of stride <paramref name="stride"/>.</summary>
    public static void Clear(ref float start, nint stride, int count, int rows)
    {
        for (nint b = 0; b < rows; b++)
        {
            MemoryMarshal.CreateSpan(ref Unsafe.Add(ref start, b * stride), count).Clear();
        }
    }

    /// <summary>
    /// Copies <paramref name="count"/> floats of each of <paramref name="rows"/> rows: a composite keeping an operand's
    /// intermediate in its saved rows, and restoring it before the operand's backward.
    /// </summary>
    public static void CopyRows(ref float source, nint sourceStride, ref float destination, nint destinationStride, int count, int rows)
    {
        for (nint b = 0; b < rows; b++)
        {
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, b * sourceStride), count)
                .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, b * destinationStride), count));
        }
    }

    /// <summary>
    /// Per row, reads <paramref name="source"/> as <c>[a, c]</c> and writes its transpose <c>[c, a]</c>:
    /// <c>destination[j·a + i] = source[i·c + j]</c> (both rows of stride <paramref name="stride"/>).
    /// </summary>
    public static void Transpose(ref float source, ref float destination, int a, int c, nint stride, int rows)
        => BlockTranspose.TransposeRows(ref source, stride, ref destination, stride, a, c, rows);

    /// <summary>
    /// Per row, <c>destination[j·a + i] = source[i·c + j]</c> for destination indices below
    /// <paramref name="limit"/> (the rest of <c>[c, a]</c> is padding and is dropped).
    /// </summary>
    public static void TransposeInto(ref float source, nint sourceStride, ref float destination, nint destinationStride, int a, int c, int limit, int rows)
    {
        // Whole destination rows j < fullColumns go through the block transpose; the one partial row after them is copied element by element.
        int fullColumns = Math.Min(c, limit / a);
        int partial = fullColumns < c ? limit - fullColumns * a : 0;
        for (nint b = 0; b < rows; b++)
        {
            ref float src = ref Unsafe.Add(ref source, b * sourceStride);
            ref float dst = ref Unsafe.Add(ref destination, b * destinationStride);
            BlockTranspose.Transpose(ref src, c, ref dst, a, a, fullColumns);
            for (nint i = 0; i < partial; i++)
            {
                Unsafe.Add(ref dst, fullColumns * a + i) = Unsafe.Add(ref src, i * c + fullColumns);
            }
        }
    }

    /// <summary>
    /// <see cref="TransposeInto(ref float, nint, ref float, nint, int, int, int, int)"/>, with <paramref name="stream"/> writing
    /// the destination with streaming stores (<see cref="OutputStreaming"/>) where the shape allows it (no padding, whole
    /// 16 × 8 blocks, every destination line on a 64-byte boundary); elsewhere ordinary stores, the same values.
    /// </summary>
    public static void TransposeInto(ref float source, nint sourceStride, ref float destination, nint destinationStride, int a, int c, int limit, int rows, bool stream)
    {
        if (!Streams(stream, ref destination, destinationStride, a, c, limit))
        {
            TransposeInto(ref source, sourceStride, ref destination, destinationStride, a, c, limit, rows);
            return;
        }
        for (nint b = 0; b < rows; b++)
        {
            BlockTranspose.TransposeStreaming(ref Unsafe.Add(ref source, b * sourceStride), c, ref Unsafe.Add(ref destination, b * destinationStride), a, a, c);
        }
        BlockTranspose.EndStreaming();
    }

    /// <summary>
    /// <see cref="TransposeInto(ref float, nint, ref float, nint, int, int, int, int, bool)"/> plus <paramref name="bias"/>
    /// (<paramref name="limit"/> floats): <c>destination[b, d] = source[b, (d % a)·c + d / a] + bias[d]</c>, row by row, so
    /// a layer's output is written once with its bias (streamed, or added while the row is still in L1).
    /// </summary>
    public static void TransposeInto(ref float source, nint sourceStride, ref float destination, nint destinationStride, int a, int c, int limit, int rows, bool stream, ref float bias)
    {
        bool streams = Streams(stream, ref destination, destinationStride, a, c, limit);
        for (nint b = 0; b < rows; b++)
        {
            ref float src = ref Unsafe.Add(ref source, b * sourceStride);
            ref float dst = ref Unsafe.Add(ref destination, b * destinationStride);
            if (streams)
            {
                BlockTranspose.TransposeStreaming(ref src, c, ref dst, a, a, c, ref bias);
            }
            else
            {
                TransposeInto(ref src, 0, ref dst, 0, a, c, limit, 1);
                AddBias(ref dst, ref bias, limit, 1);
            }
        }
        if (streams)
        {
            BlockTranspose.EndStreaming();
        }
    }

    /// <summary>Whether a transposition into <paramref name="destination"/> asked to <paramref name="stream"/> can.</summary>
    private static bool Streams(bool stream, ref float destination, nint destinationStride, int a, int c, int limit)
        => stream && limit == a * c && destinationStride % 16 == 0 && BlockTranspose.CanStream(ref destination, a, a, c);

    /// <summary>
    /// Per row, <c>destination[j·a + i] = source[i·c + j]</c> where the source index is below
    /// <paramref name="limit"/>, and 0 where it is padding.
    /// </summary>
    public static void TransposeFrom(ref float source, nint sourceStride, ref float destination, nint destinationStride, int a, int c, int limit, int rows)
    {
        // Whole source rows i < fullRows go through the block transpose; the rest reads up to the limit and pads with zeros.
        int fullRows = Math.Min(a, limit / c);
        for (nint b = 0; b < rows; b++)
        {
            ref float src = ref Unsafe.Add(ref source, b * sourceStride);
            ref float dst = ref Unsafe.Add(ref destination, b * destinationStride);
            BlockTranspose.Transpose(ref src, c, ref dst, a, fullRows, c);
            for (nint i = fullRows; i < a; i++)
            {
                for (nint j = 0; j < c; j++)
                {
                    nint from = i * c + j;
                    Unsafe.Add(ref dst, j * a + i) = from < limit ? Unsafe.Add(ref src, from) : 0f;
                }
            }
        }
    }
}
