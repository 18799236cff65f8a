using System;
using System.Linq;

namespace StructGen.Training.Tests;

/// <summary>Softmax cross-entropy: values, stability, gradient vs finite differences, accuracy.</summary>
public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Uniform_logits_cost_log_of_the_class_count()
    {
        var logits = new float[3 * 10];
        Assert.Equal(Math.Log(10), SoftmaxCrossEntropy.Loss(logits, [0, 4, 9], 10), 6);
    }

    [Fact]
    public void Matches_the_definition()
    {
        float[] logits = [1f, 2f, 3f, -1f, 0f, 4f];
        int[] labels = [2, 0];
        double row0 = -Math.Log(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)));
        double row1 = -Math.Log(Math.Exp(-1) / (Math.Exp(-1) + Math.Exp(0) + Math.Exp(4)));
        Assert.Equal((row0 + row1) / 2, SoftmaxCrossEntropy.Loss(logits, labels, 3), 6);
        var gradient = new float[6];
        Assert.Equal((row0 + row1) / 2, SoftmaxCrossEntropy.LossAndGradient(logits, labels, gradient, 3), 6);
    }

    [Fact]
    public void Huge_logits_stay_finite()
    {
        float[] logits = [1e4f, -1e4f, 0f, 3e4f, 3e4f - 1f, -5e4f];
        var gradient = new float[6];
        double loss = SoftmaxCrossEntropy.LossAndGradient(logits, [1, 0], gradient, 3);
        Assert.True(double.IsFinite(loss));
        Assert.Equal((2e4 + Math.Log(1 + Math.Exp(-1))) / 2, loss, 3);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        const int batch = 5, classes = 7;
        var rng = new Random(1);
        float[] logits = Enumerable.Range(0, batch * classes).Select(_ => (float)(rng.NextDouble() * 6 - 3)).ToArray();
        int[] labels = Enumerable.Range(0, batch).Select(_ => rng.Next(classes)).ToArray();
        var gradient = new float[logits.Length];
        SoftmaxCrossEntropy.LossAndGradient(logits, labels, gradient, classes);

        double[] z = logits.Select(v => (double)v).ToArray();
        const double h = 1e-5;
        for (int i = 0; i < z.Length; i++)
        {
            double keep = z[i];
            z[i] = keep + h; double plus = ReferenceLoss(z, labels, classes);
            z[i] = keep - h; double minus = ReferenceLoss(z, labels, classes);
            z[i] = keep;
            Assert.Equal((plus - minus) / (2 * h), gradient[i], 5);
        }
    }

    [Fact]
    public void Gradient_may_overwrite_the_logits()
    {
        float[] logits = [0.5f, -1f, 2f, 1f, 1f, 0f];
        var separate = new float[6];
        double expected = SoftmaxCrossEntropy.LossAndGradient(logits, [1, 2], separate, 3);
        double inPlace = SoftmaxCrossEntropy.LossAndGradient(logits, [1, 2], logits, 3);
        Assert.Equal(expected, inPlace, 12);
        Assert.Equal(separate, logits);
    }

    [Fact]
    public void Softmax_rows_sum_to_one()
    {
        float[] logits = [1f, 2f, 3f, 100f, 100f, 100f];
        var p = new float[6];
        SoftmaxCrossEntropy.Softmax(logits, p, 3);
        Assert.Equal(1.0, p[0] + p[1] + p[2], 6);
        Assert.Equal(1 / 3.0, p[4], 6);
    }

    [Fact]
    public void Accuracy_counts_argmax_hits()
    {
        float[] logits = [0f, 1f, 0f, 5f, 1f, 2f, 0f, 0f, 0f]; // argmax 1, 0, 0 (first on ties)
        Assert.Equal(2, SoftmaxCrossEntropy.CountCorrect(logits, [1, 0, 2], 3));
        Assert.Equal(2 / 3.0, SoftmaxCrossEntropy.Accuracy(logits, [1, 0, 2], 3), 12);
        Assert.Equal(0, SoftmaxCrossEntropy.ArgMax([0f, 0f]));
    }

    [Fact]
    public void Rejects_bad_shapes_and_labels()
    {
        Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Loss(new float[5], [0, 1], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.Loss(new float[6], [0, 3], 3));
        Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.LossAndGradient(new float[6], [0, 1], new float[5], 3));
    }

    private static double ReferenceLoss(double[] z, int[] labels, int classes)
    {
        double total = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += Math.Exp(z[b * classes + j]);
            total += Math.Log(sum) - z[b * classes + labels[b]];
        }
        return total / labels.Length;
    }
}
