using System;

namespace StructGen.Gpu.Tests.Oracle;

/// <summary>Comparisons relative to the largest magnitude of the expected values.</summary>
public static class Tolerance
{
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1e-30;
        foreach (double e in expected) scale = Math.Max(scale, Math.Abs(e));
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(expected[i] - actual[i]) / scale;
            if (!(err <= worst)) { worst = err; at = i; }
        }
        Assert.True(worst <= relative, $"{what}: relative error {worst:E3} at [{at}] (expected {(at >= 0 ? expected[at] : 0):G9}, actual {(at >= 0 ? actual[at] : 0):G9}), tolerance {relative:E1}");
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        var e = new double[expected.Length];
        for (int i = 0; i < e.Length; i++) e[i] = expected[i];
        Close(e, actual, relative, what);
    }
}
