using System;

namespace StructGen.Projection.Tests.Oracle;

/// <summary>Norms for the assertions, computed in the test (not by ProjectionError).</summary>
internal static class Frobenius
{
    public static double Norm(ReadOnlySpan<double> a)
    {
        double sum = 0;
        foreach (double x in a)
        {
            sum += x * x;
        }
        return Math.Sqrt(sum);
    }

    public static double Norm(ReadOnlySpan<float> a)
    {
        double sum = 0;
        foreach (float x in a)
        {
            sum += (double)x * x;
        }
        return Math.Sqrt(sum);
    }

    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    public static double RelativeError(ReadOnlySpan<float> reference, ReadOnlySpan<double> approximation)
        => Distance(reference, approximation) / Norm(reference);
}
