using System;

namespace Mnist;

/// <summary>Images (row-major <c>[Count, 784]</c>, pixels in <c>[0, 1]</c> until normalized) and their labels.</summary>
public sealed class Digits
{
    /// <summary>Pixels per image (28 × 28).</summary>
    public const int Pixels = 784;

    /// <summary>Wraps the arrays (not copied).</summary>
    /// <param name="images"><c>[count, 784]</c>.</param>
    /// <param name="labels">One label in <c>[0, 10)</c> per image.</param>
    public Digits(float[] images, int[] labels)
    {
        if (images.Length != labels.Length * Pixels)
        {
            throw new ArgumentException($"{labels.Length} labels need {labels.Length * Pixels} pixels; got {images.Length}.");
        }
        Images = images;
        Labels = labels;
    }

    /// <summary>Pixels, <c>[Count, 784]</c>.</summary>
    public float[] Images { get; }

    /// <summary>Labels.</summary>
    public int[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>One image's pixels.</summary>
    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(index * Pixels, Pixels);

    /// <summary>Shuffles with <paramref name="seed"/> and splits off the last <paramref name="testCount"/> images.</summary>
    public (Digits Train, Digits Test) Split(int testCount, int seed)
    {
        if (testCount <= 0 || testCount >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount, $"Hold out between 1 and {Count - 1} of {Count} digits.");
        }
        int[] order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        return (Take(order.AsSpan(0, Count - testCount)), Take(order.AsSpan(Count - testCount)));
    }

    /// <summary>The first <paramref name="count"/> images (or all of them).</summary>
    public Digits Head(int count)
    {
        if (count >= Count) return this;
        return new Digits(Images.AsSpan(0, count * Pixels).ToArray(), Labels.AsSpan(0, count).ToArray());
    }

    /// <summary>Mean and standard deviation over every pixel of every image.</summary>
    public (float Mean, float Std) PixelStatistics()
    {
        double sum = 0, square = 0;
        foreach (float p in Images)
        {
            sum += p;
            square += (double)p * p;
        }
        double mean = sum / Images.Length;
        return ((float)mean, (float)Math.Sqrt(Math.Max(square / Images.Length - mean * mean, 1e-12)));
    }

    /// <summary>Standardizes the pixels in place: <c>(p − mean) / std</c>.</summary>
    public void Normalize(float mean, float std)
    {
        float inverse = 1 / std;
        for (int i = 0; i < Images.Length; i++) Images[i] = (Images[i] - mean) * inverse;
    }

    /// <summary>Count of each label, for the data summary line.</summary>
    public int[] LabelCounts()
    {
        var counts = new int[10];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    private Digits Take(ReadOnlySpan<int> indices)
    {
        var images = new float[indices.Length * Pixels];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Image(indices[i]).CopyTo(images.AsSpan(i * Pixels));
            labels[i] = Labels[indices[i]];
        }
        return new Digits(images, labels);
    }
}
