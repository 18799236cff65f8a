using System;

namespace StructGen.Projection;

/// <summary>How far a structured weight is from the dense one it approximates: <c>‖W − Ŵ‖_F / ‖W‖_F</c>.</summary>
public static class ProjectionError
{
    /// <summary>The relative Frobenius error between <paramref name="dense"/> and the weight of <paramref name="layer"/>.</summary>
    /// <param name="dense">The reference weight <c>W</c>, <c>[OutFeatures, InFeatures]</c> row-major.</param>
    /// <param name="layer">The layer whose <see cref="IStructuredLinear.ToDense"/> gives <c>Ŵ</c>.</param>
    /// <returns><c>‖W − Ŵ‖_F / ‖W‖_F</c>; the absolute error <c>‖Ŵ‖_F</c> when <c>W</c> is zero.</returns>
    public static double Relative(ReadOnlySpan<float> dense, IStructuredLinear layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        long expected = (long)layer.OutFeatures * layer.InFeatures;
        if (dense.Length != expected)
        {
            throw new ArgumentException(
                $"dense must hold the layer's Out·In = {layer.OutFeatures}·{layer.InFeatures} = {expected} floats but has {dense.Length}.",
                nameof(dense));
        }
        var approximation = new float[dense.Length];
        layer.ToDense(approximation);
        return Relative(dense, approximation);
    }

    /// <summary>The relative Frobenius error between two weights of the same size.</summary>
    /// <param name="reference">The reference <c>W</c>.</param>
    /// <param name="approximation">The approximation <c>Ŵ</c>; same length as <paramref name="reference"/>.</param>
    /// <returns><c>‖W − Ŵ‖_F / ‖W‖_F</c> (in double precision); the absolute error when <c>W</c> is zero.</returns>
    public static double Relative(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation)
    {
        if (approximation.Length != reference.Length)
        {
            throw new ArgumentException(
                $"approximation must have the length of reference ({reference.Length}) but has {approximation.Length}.",
                nameof(approximation));
        }
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double e = (double)reference[i] - approximation[i];
            difference += e * e;
            norm += (double)reference[i] * reference[i];
        }
        return norm == 0 ? Math.Sqrt(difference) : Math.Sqrt(difference / norm);
    }
}
