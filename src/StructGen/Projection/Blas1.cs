using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StructGen.Projection;

/// <summary>
/// Level-1 BLAS over contiguous <see cref="double"/> vectors: the inner loops of every factorization
/// in this folder. Vectorized with <see cref="Vector{T}"/> because the projections of a 4096-wide
/// layer spend almost all their time here.
/// </summary>
internal static class Blas1
{
    /// <summary><c>xᵀy</c>.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            ReadOnlySpan<Vector<double>> vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            ReadOnlySpan<Vector<double>> vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            // Two accumulators hide the latency of the fused adds.
            Vector<double> acc0 = Vector<double>.Zero;
            Vector<double> acc1 = Vector<double>.Zero;
            int v = 0;
            for (; v + 1 < vx.Length; v += 2)
            {
                acc0 += vx[v] * vy[v];
                acc1 += vx[v + 1] * vy[v + 1];
            }
            for (; v < vx.Length; v++)
            {
                acc0 += vx[v] * vy[v];
            }
            sum = Vector.Sum(acc0 + acc1);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /// <summary><c>y ← y + alpha·x</c>.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            ReadOnlySpan<Vector<double>> vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            Span<Vector<double>> vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var a = new Vector<double>(alpha);
            for (int v = 0; v < vx.Length; v++)
            {
                vy[v] += a * vx[v];
            }
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary><c>x ← alpha·x</c>.</summary>
    public static void Scale(double alpha, Span<double> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= alpha;
        }
    }

    /// <summary>Plane rotation: <c>(x, y) ← (c·x − s·y, s·x + c·y)</c>.</summary>
    public static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            Span<Vector<double>> vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            Span<Vector<double>> vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var vc = new Vector<double>(c);
            var vs = new Vector<double>(s);
            for (int v = 0; v < vx.Length; v++)
            {
                Vector<double> a = vx[v];
                Vector<double> b = vy[v];
                vx[v] = vc * a - vs * b;
                vy[v] = vs * a + vc * b;
            }
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            double a = x[i];
            double b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }
}
