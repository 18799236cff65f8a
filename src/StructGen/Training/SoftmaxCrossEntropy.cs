using System;

namespace StructGen.Training;

/// <summary>
/// Softmax followed by the negative log-likelihood of the true class, averaged over the batch
/// (<c>torch.nn.functional.cross_entropy</c> with <c>reduction='mean'</c>), plus accuracy helpers.
/// </summary>
/// <remarks>
/// Logits are row-major <c>[batch, classes]</c>; labels are class indices, one per row. Each row is
/// shifted by its maximum before exponentiating, so large logits neither overflow nor lose the loss:
/// <c>loss_b = log Σ_j exp(z_bj − max_b) + max_b − z_b,label</c>.
/// </remarks>
public static class SoftmaxCrossEntropy
{
    /// <summary>The mean loss over the batch.</summary>
    /// <param name="logits"><c>[batch, classes]</c>, row-major; <c>batch = labels.Length</c>.</param>
    /// <param name="labels">The true class of each row, in <c>[0, classes)</c>.</param>
    /// <param name="classes">Number of classes.</param>
    /// <returns>The mean loss (zero for an empty batch).</returns>
    public static double Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        Check(logits, labels, classes);
        double total = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            ReadOnlySpan<float> row = logits.Slice(b * classes, classes);
            total += LogSumExp(row) - row[labels[b]];
        }
        return labels.Length == 0 ? 0 : total / labels.Length;
    }

    /// <summary>
    /// The mean loss over the batch and its gradient with respect to the logits,
    /// <c>(softmax(z_b) − onehot(label_b)) / batch</c>.
    /// </summary>
    /// <param name="logits"><c>[batch, classes]</c>, row-major; <c>batch = labels.Length</c>.</param>
    /// <param name="labels">The true class of each row, in <c>[0, classes)</c>.</param>
    /// <param name="logitGradient"><c>[batch, classes]</c>; overwritten. It may be the same memory as <paramref name="logits"/>.</param>
    /// <param name="classes">Number of classes.</param>
    /// <returns>The mean loss (zero for an empty batch).</returns>
    public static double LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> logitGradient, int classes)
    {
        Check(logits, labels, classes);
        if (logitGradient.Length != logits.Length)
        {
            throw new ArgumentException($"The logit gradient has {logitGradient.Length} values; the logits have {logits.Length}.", nameof(logitGradient));
        }
        int batch = labels.Length;
        if (batch == 0)
        {
            return 0;
        }
        double total = 0;
        float inverseBatch = 1f / batch;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = logits.Slice(b * classes, classes);
            Span<float> gradient = logitGradient.Slice(b * classes, classes);
            int label = labels[b];
            float max = Max(row);
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                sum += Math.Exp(row[j] - max);
            }
            double logSum = Math.Log(sum);
            total += logSum + max - row[label];
            // Every read of row[j] precedes the write of gradient[j], so the two may share memory.
            double inverseSum = 1 / sum;
            for (int j = 0; j < classes; j++)
            {
                gradient[j] = (float)(Math.Exp(row[j] - max) * inverseSum) * inverseBatch;
            }
            gradient[label] -= inverseBatch;
        }
        return total / batch;
    }

    /// <summary>Writes the softmax probabilities of every row.</summary>
    /// <param name="logits"><c>[batch, classes]</c>, row-major.</param>
    /// <param name="probabilities"><c>[batch, classes]</c>; overwritten. It may be the same memory as <paramref name="logits"/>.</param>
    /// <param name="classes">Number of classes.</param>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (logits.Length % classes != 0 || probabilities.Length != logits.Length)
        {
            throw new ArgumentException($"Expected [batch, {classes}] logits and probabilities of the same length; got {logits.Length} and {probabilities.Length}.");
        }
        for (int start = 0; start < logits.Length; start += classes)
        {
            ReadOnlySpan<float> row = logits.Slice(start, classes);
            Span<float> output = probabilities.Slice(start, classes);
            float max = Max(row);
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                double e = Math.Exp(row[j] - max);
                sum += e;
                output[j] = (float)e;
            }
            float inverse = (float)(1 / sum);
            for (int j = 0; j < classes; j++)
            {
                output[j] *= inverse;
            }
        }
    }

    /// <summary>The index of the largest value (the first one on ties).</summary>
    /// <param name="row">One row of logits; not empty.</param>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        if (row.IsEmpty)
        {
            throw new ArgumentException("The row is empty.", nameof(row));
        }
        int best = 0;
        for (int j = 1; j < row.Length; j++)
        {
            if (row[j] > row[best])
            {
                best = j;
            }
        }
        return best;
    }

    /// <summary>How many rows have their largest logit at the true class.</summary>
    /// <param name="logits"><c>[batch, classes]</c>, row-major; <c>batch = labels.Length</c>.</param>
    /// <param name="labels">The true class of each row.</param>
    /// <param name="classes">Number of classes.</param>
    public static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        Check(logits, labels, classes);
        int correct = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            if (ArgMax(logits.Slice(b * classes, classes)) == labels[b])
            {
                correct++;
            }
        }
        return correct;
    }

    /// <summary>The fraction of rows whose largest logit is at the true class (zero for an empty batch).</summary>
    /// <param name="logits"><c>[batch, classes]</c>, row-major; <c>batch = labels.Length</c>.</param>
    /// <param name="labels">The true class of each row.</param>
    /// <param name="classes">Number of classes.</param>
    public static double Accuracy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
        => labels.Length == 0 ? 0 : (double)CountCorrect(logits, labels, classes) / labels.Length;

    private static void Check(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (logits.Length != (long)labels.Length * classes)
        {
            throw new ArgumentException($"Expected [{labels.Length}, {classes}] logits ({(long)labels.Length * classes} values) for {labels.Length} labels; got {logits.Length}.", nameof(logits));
        }
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"A label must be in [0, {classes}).");
            }
        }
    }

    private static float Max(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float value in row)
        {
            max = Math.Max(max, value);
        }
        return max;
    }

    private static double LogSumExp(ReadOnlySpan<float> row)
    {
        float max = Max(row);
        double sum = 0;
        foreach (float value in row)
        {
            sum += Math.Exp(value - max);
        }
        return Math.Log(sum) + max;
    }
}
