using System;

namespace StructGen.Training.Tests;

/// <summary>End to end: small MLPs over generated layers learn a synthetic task; a training step allocates nothing.</summary>
public class TrainingTests
{
    private const int Features = 16;
    private const int Classes = 4;
    private const int Samples = 512;
    private const int Batch = 32;

    [Fact]
    public void Monarch_mlp_with_AdamW_fits_gaussian_blobs()
    {
        var model = new TinyMlp<TinyMonarch>(Batch, seed: 1);
        var optimizer = new AdamW(model.Parameters, learningRate: 3e-3, weightDecay: 1e-4);
        (double before, double after, double accuracy) = Train(model, optimizer, epochs: 15);
        Assert.InRange(before, 1.0, 3.0);   // about ln 4 ≈ 1.39 at initialization
        Assert.True(after < 0.1, $"loss {before:F3} → {after:F3}");
        Assert.True(accuracy > 0.97, $"accuracy {accuracy:P1}");
    }

    [Fact]
    public void LowRank_mlp_with_Nesterov_SGD_fits_gaussian_blobs()
    {
        var model = new TinyMlp<TinyLowRank>(Batch, seed: 2);
        var optimizer = new Sgd(model.Parameters, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4);
        (double before, double after, double accuracy) = Train(model, optimizer, epochs: 15);
        Assert.True(after < 0.15, $"loss {before:F3} → {after:F3}");
        Assert.True(after < before / 5);
        Assert.True(accuracy > 0.95, $"accuracy {accuracy:P1}");
    }

    [Fact]
    public void A_training_step_allocates_nothing()
    {
        var model = new TinyMlp<TinyMonarch>(Batch, seed: 3);
        var optimizer = new AdamW(model.Parameters);
        (float[] x, int[] labels) = Blobs(seed: 4);
        void Step()
        {
            optimizer.ZeroGradients();
            model.LossAndGradients(x.AsSpan(0, Batch * Features), labels.AsSpan(0, Batch), Batch);
            optimizer.Step();
        }
        Step(); // warm up: scratch buffers, JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Minibatch training over shuffled blobs; the loss and accuracy over the whole set before and after.</summary>
    private static (double Before, double After, double Accuracy) Train<THidden>(TinyMlp<THidden> model, IOptimizer optimizer, int epochs)
        where THidden : IStructuredLinear, new()
    {
        (float[] x, int[] labels) = Blobs(seed: 7);
        double before = Evaluate(model, x, labels).Loss;
        var rng = new Random(8);
        int[] order = new int[Samples];
        for (int i = 0; i < Samples; i++) order[i] = i;
        var batchX = new float[Batch * Features];
        var batchLabels = new int[Batch];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int start = 0; start + Batch <= Samples; start += Batch)
            {
                for (int b = 0; b < Batch; b++)
                {
                    int s = order[start + b];
                    x.AsSpan(s * Features, Features).CopyTo(batchX.AsSpan(b * Features));
                    batchLabels[b] = labels[s];
                }
                optimizer.ZeroGradients();
                model.LossAndGradients(batchX, batchLabels, Batch);
                optimizer.Step();
            }
        }
        (double after, double accuracy) = Evaluate(model, x, labels);
        return (before, after, accuracy);
    }

    private static (double Loss, double Accuracy) Evaluate<THidden>(TinyMlp<THidden> model, float[] x, int[] labels)
        where THidden : IStructuredLinear, new()
    {
        double loss = 0;
        int correct = 0;
        for (int start = 0; start < Samples; start += Batch)
        {
            ReadOnlySpan<float> logits = model.Forward(x.AsSpan(start * Features, Batch * Features), Batch);
            loss += SoftmaxCrossEntropy.Loss(logits, labels.AsSpan(start, Batch), Classes) * Batch;
            correct += SoftmaxCrossEntropy.CountCorrect(logits, labels.AsSpan(start, Batch), Classes);
        }
        return (loss / Samples, (double)correct / Samples);
    }

    /// <summary>Four Gaussian clusters in 16 dimensions: centres at distance ~4 apart, unit noise.</summary>
    private static (float[] X, int[] Labels) Blobs(int seed)
    {
        var rng = new Random(seed);
        var centres = new float[Classes * Features];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(rng.NextDouble() * 2 - 1);
        var x = new float[Samples * Features];
        var labels = new int[Samples];
        for (int s = 0; s < Samples; s++)
        {
            int label = rng.Next(Classes);
            labels[s] = label;
            for (int f = 0; f < Features; f++)
            {
                double u = 1 - rng.NextDouble(), v = rng.NextDouble();
                double noise = Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
                x[s * Features + f] = 1.5f * centres[label * Features + f] + (float)(0.5 * noise);
            }
        }
        return (x, labels);
    }
}
