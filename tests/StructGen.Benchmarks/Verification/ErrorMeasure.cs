using System;

namespace StructGen.Benchmarks.Verification;

/// <summary>How far a computed result is from the expected one, relative to the expected magnitude.</summary>
internal static unsafe class ErrorMeasure
{
    /// <summary>Tolerance of every check: relative error below 1e-4.</summary>
    public const double Tolerance = 1e-4;

    /// <summary><c>max |actual − expected| / max |expected|</c>.</summary>
    public static double Relative(float* actual, double[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        double error = 0, scale = 0;
        for (long i = 0; i < expected.LongLength; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return scale == 0 ? error : error / scale;
    }

    /// <summary><c>max |actual − expected| / max |expected|</c> for two float arrays.</summary>
    public static double Relative(float* actual, float* expected, long length)
    {
        double error = 0, scale = 0;
        for (long i = 0; i < length; i++)
        {
            error = Math.Max(error, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return scale == 0 ? error : error / scale;
    }
}
