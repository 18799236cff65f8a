using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StructGen.Kernels;

/// <summary>
/// Shape-agnostic helpers the generated code of composite layers calls: a Monarch output added into a sum,
/// the LoRA scaling, and the dense product of a chain's factors. Arguments are trusted: the generated entry
/// points validate every buffer before calling in.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CompositeOps
{
    /// <summary>
    /// Per row, <c>destination[j·a + i] += source[i·c + j]</c> for destination indices below
    /// <paramref name="limit"/>: <see cref="RowOps.TransposeInto(ref float, nint, ref float, nint, int, int, int, int)"/> for a term that adds into a sum's output.
    /// </summary>
    /// <param name="source">First source row.</param>
    /// <param name="sourceStride">Floats between source rows.</param>
    /// <param name="destination">First destination row.</param>
    /// <param name="destinationStride">Floats between destination rows.</param>
    /// <param name="a">Rows of the per-row source matrix.</param>
    /// <param name="c">Columns of the per-row source matrix.</param>
    /// <param name="limit">Destination indices at or past it are padding and dropped.</param>
    /// <param name="rows">Number of rows.</param>
    public static void TransposeAddInto(ref float source, nint sourceStride, ref float destination, nint destinationStride, int a, int c, int limit, int rows)
    {
        for (nint b = 0; b < rows; b++)
        {
            ref float src = ref Unsafe.Add(ref source, b * sourceStride);
            ref float dst = ref Unsafe.Add(ref destination, b * destinationStride);
            for (nint i = 0; i < a; i++)
            {
                for (nint j = 0; j < c; j++)
                {
                    nint target = j * a + i;
                    if (target < limit)
                    {
                        Unsafe.Add(ref dst, target) += Unsafe.Add(ref src, i * c + j);
                    }
                }
            }
        }
    }

    /// <summary><c>values[i] *= factor</c> for <paramref name="count"/> consecutive floats (the adapter's <c>alpha/R</c>).</summary>
    /// <param name="values">First value.</param>
    /// <param name="count">Number of values.</param>
    /// <param name="factor">The scaling.</param>
    public static void Scale(ref float values, int count, float factor)
    {
        Span<float> span = MemoryMarshal.CreateSpan(ref values, count);
        TensorPrimitives.Multiply(span, factor, span);
    }

    /// <summary>
    /// <c>result (+)= left·right</c> with <c>left [m, k]</c>, <c>right [k, n]</c>, <c>result [m, n]</c>, all
    /// row-major: the dense weight of a chain from its factors' weights (<c>W = W_1·W_0</c>).
    /// </summary>
    /// <param name="left"><c>[m, k]</c>.</param>
    /// <param name="right"><c>[k, n]</c>.</param>
    /// <param name="result"><c>[m, n]</c>; overwritten, or added to when <paramref name="accumulate"/>.</param>
    /// <param name="m">Rows of the result.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="n">Columns of the result.</param>
    /// <param name="accumulate">Add into <paramref name="result"/> instead of overwriting it.</param>
    public static void Multiply(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> result, int m, int k, int n, bool accumulate)
    {
        if (left.Length != (long)m * k || right.Length != (long)k * n || result.Length != (long)m * n)
        {
            throw new ArgumentException($"Multiply expects [{m}, {k}]·[{k}, {n}] into [{m}, {n}] but got {left.Length}, {right.Length} and {result.Length} floats.");
        }
        if (!accumulate)
        {
            result.Clear();
        }
        for (int i = 0; i < m; i++)
        {
            Span<float> row = result.Slice(i * n, n);
            for (int j = 0; j < k; j++)
            {
                float a = left[(i * k) + j];
                if (a != 0f)
                {
                    TensorPrimitives.MultiplyAdd(right.Slice(j * n, n), a, row, row);
                }
            }
        }
    }
}
