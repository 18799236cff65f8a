using System;

namespace StructGen.Projection;

/// <summary>
/// The dense weight being projected, validated and widened to <see cref="double"/>: every factorization
/// here runs in double precision and rounds to <see cref="float"/> only when it writes the tensors.
/// </summary>
internal sealed class DenseWeight
{
    private DenseWeight(double[] values, int outFeatures, int inFeatures)
    {
        Values = values;
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
    }

    /// <summary><c>[Out, In]</c>, row-major.</summary>
    public double[] Values { get; }

    /// <summary>Rows (<c>Out</c>).</summary>
    public int OutFeatures { get; }

    /// <summary>Columns (<c>In</c>).</summary>
    public int InFeatures { get; }

    /// <summary><c>W[row, column]</c>.</summary>
    public double this[int row, int column] => Values[row * InFeatures + column];

    /// <summary>
    /// Checks the sizes and values of a public <c>dense</c> argument and widens it. Errors name the
    /// argument and say what was expected.
    /// </summary>
    public static DenseWeight From(ReadOnlySpan<float> dense, int outFeatures, int inFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        long expected = (long)outFeatures * inFeatures;
        if (dense.Length != expected)
        {
            throw new ArgumentException(
                $"dense must hold Out·In = {outFeatures}·{inFeatures} = {expected} floats ([Out, In], row-major) but has {dense.Length}.",
                nameof(dense));
        }
        var values = new double[dense.Length];
        for (int i = 0; i < dense.Length; i++)
        {
            if (!float.IsFinite(dense[i]))
            {
                throw new ArgumentException($"dense[{i}] (row {i / inFeatures}, column {i % inFeatures}) is {dense[i]}; a projection needs finite weights.", nameof(dense));
            }
            values[i] = dense[i];
        }
        return new DenseWeight(values, outFeatures, inFeatures);
    }
}
