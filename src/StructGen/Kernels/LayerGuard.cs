using System;

namespace StructGen.Kernels;

/// <summary>
/// Argument checks every generated entry point runs before it touches memory. Each failure names the
/// argument, the size it must have and the size it has.
/// </summary>
public static class LayerGuard
{
    /// <summary>Validates the arguments of <see cref="IStructuredLinear.Forward(ReadOnlySpan{float}, Span{float}, int)"/>.</summary>
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, int inFeatures, int outFeatures)
    {
        Batch(batch);
        Length(input.Length, batch, inFeatures, nameof(input));
        Length(output.Length, batch, outFeatures, nameof(output));
        Disjoint(input, output, nameof(input), nameof(output));
    }

    /// <summary>Validates the arguments of <see cref="IStructuredLinear.Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>.</summary>
    public static void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, int inFeatures, int outFeatures)
    {
        Batch(batch);
        Length(input.Length, batch, inFeatures, nameof(input));
        Length(outputGradient.Length, batch, outFeatures, nameof(outputGradient));
        Length(inputGradient.Length, batch, inFeatures, nameof(inputGradient));
        Disjoint(input, inputGradient, nameof(input), nameof(inputGradient));
        Disjoint(outputGradient, inputGradient, nameof(outputGradient), nameof(inputGradient));
    }

    /// <summary>
    /// Validates the <c>saved</c> buffer of the training forward: exactly <c>batch·savedPerRow</c> floats (empty when
    /// the layer keeps nothing), apart from the input it reads and the output it writes.
    /// </summary>
    public static void SavedForward(ReadOnlySpan<float> input, Span<float> output, Span<float> saved, int batch, int savedPerRow)
    {
        SavedLength(saved.Length, batch, savedPerRow);
        Disjoint(input, saved, nameof(input), nameof(saved));
        Disjoint(output, saved, nameof(output), nameof(saved));
    }

    /// <summary>Validates the <c>saved</c> buffer of the training backward: its length, and apart from the input gradient it writes.</summary>
    public static void SavedBackward(Span<float> inputGradient, ReadOnlySpan<float> saved, int batch, int savedPerRow)
    {
        SavedLength(saved.Length, batch, savedPerRow);
        Disjoint(saved, inputGradient, nameof(saved), nameof(inputGradient));
    }

    private static void SavedLength(int actual, int batch, int savedPerRow)
    {
        long expected = (long)batch * savedPerRow;
        if (actual != expected)
        {
            throw new ArgumentException(
                $"saved must hold batch·SavedPerRow = {batch}·{savedPerRow} = {expected} floats but has {actual}. " +
                "Allocate it as new float[batch * layer.SavedPerRow] and pass the same span to the training Forward and then to Backward.",
                "saved");
        }
    }

    /// <summary>Validates the destination of <see cref="IStructuredLinear.ToDense"/>.</summary>
    public static void Dense(Span<float> weight, int inFeatures, int outFeatures)
    {
        long expected = (long)inFeatures * outFeatures;
        if (weight.Length != expected)
        {
            throw new ArgumentException(
                $"weight must hold Out·In = {outFeatures}·{inFeatures} = {expected} floats ([Out, In], row-major) but has {weight.Length}.",
                nameof(weight));
        }
    }

    private static void Batch(int batch)
    {
        if (batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be zero or positive: it is the number of rows in the [batch, features] buffers.");
        }
    }

    private static void Length(int actual, int batch, int features, string name)
    {
        long expected = (long)batch * features;
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{name} must hold batch·features = {batch}·{features} = {expected} floats but has {actual}. Pass a span of exactly that length (slice a larger buffer).",
                name);
        }
    }

    private static void Disjoint(ReadOnlySpan<float> a, ReadOnlySpan<float> b, string nameA, string nameB)
    {
        if (a.Length != 0 && b.Length != 0 && a.Overlaps(b))
        {
            throw new ArgumentException(
                $"{nameA} and {nameB} overlap in memory; the kernels read one while writing the other. Use separate buffers.",
                nameB);
        }
    }
}
