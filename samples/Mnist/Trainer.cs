using System;
using System.Diagnostics;
using StructGen.Training;

namespace Mnist;

/// <summary>
/// Minibatch training with AdamW and softmax cross-entropy, a short linear warm-up then cosine decay of
/// the learning rate. Every buffer is allocated before the first step; a step allocates nothing.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingOptions _options;

    /// <summary>Creates a trainer with the given hyper-parameters.</summary>
    public Trainer(TrainingOptions options) => _options = options;

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/>, printing a line per epoch, and scores it on <paramref name="test"/>.</summary>
    public VariantResult Run(IClassifier model, Digits train, Digits test)
    {
        int batchSize = _options.BatchSize, classes = model.Classes, features = model.InFeatures;
        int stepsPerEpoch = (train.Count + batchSize - 1) / batchSize;
        long totalSteps = (long)stepsPerEpoch * _options.Epochs;
        long warmup = Math.Min(200, totalSteps / 10);

        var optimizer = new AdamW(model.Parameters, _options.LearningRate, weightDecay: _options.WeightDecay);
        var order = new int[train.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var rng = new Random(_options.Seed);
        var input = new float[batchSize * features];
        var labels = new int[batchSize];
        var logitGradient = new float[batchSize * classes];

        double trainSeconds = 0, cpuSeconds = 0, lastLoss = 0;
        long allocated = 0, steps = 0;
        Process process = Process.GetCurrentProcess();
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            rng.Shuffle(order);
            double lossSum = 0;
            int correct = 0, seen = 0;
            process.Refresh();
            TimeSpan cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp(), lastPrint = start;
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                int first = step * batchSize;
                int batch = Math.Min(batchSize, train.Count - first);
                for (int b = 0; b < batch; b++)
                {
                    int index = order[first + b];
                    train.Image(index).CopyTo(input.AsSpan(b * features, features));
                    labels[b] = train.Labels[index];
                }
                ReadOnlySpan<float> x = input.AsSpan(0, batch * features);
                ReadOnlySpan<int> y = labels.AsSpan(0, batch);
                Span<float> dLogits = logitGradient.AsSpan(0, batch * classes);

                optimizer.LearningRate = LearningRate(optimizer.StepCount, totalSteps, warmup);
                optimizer.ZeroGradients();
                ReadOnlySpan<float> logits = model.Forward(x, batch);
                correct += SoftmaxCrossEntropy.CountCorrect(logits, y, classes);
                // Loss gradients are means over the batch; scale so a short last batch weighs what it holds.
                lossSum += SoftmaxCrossEntropy.LossAndGradient(logits, y, dLogits, classes) * batch;
                seen += batch;
                model.Backward(x, dLogits, batch);
                optimizer.Step();
                if (steps++ > 0) // the first step rents the layers' scratch buffers, once
                {
                    allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                }

                if (Stopwatch.GetElapsedTime(lastPrint).TotalSeconds >= 10 && step + 1 < stepsPerEpoch)
                {
                    lastPrint = Stopwatch.GetTimestamp();
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    Console.WriteLine($"  {model.Name,-8} epoch {epoch,2}/{_options.Epochs}  {seen,6:N0}/{train.Count:N0}  loss {lossSum / seen:F4}  train {100.0 * correct / seen,5:F1} %  {seen / elapsed,7:N0} ex/s");
                }
            }
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
            trainSeconds += seconds;
            cpuSeconds += cpu;
            lastLoss = lossSum / seen;
            double testAccuracy = Evaluate(model, test);
            Console.WriteLine(
                $"  {model.Name,-8} epoch {epoch,2}/{_options.Epochs}  loss {lastLoss:F4}  train {100.0 * correct / seen,5:F1} %  test {100 * testAccuracy,5:F2} %  " +
                $"{seen / seconds,7:N0} ex/s  {seconds,5:F2} s (CPU {cpu:F2} s)");
        }
        return new VariantResult(model.Name, model.ParameterCount, Evaluate(model, test), trainSeconds / _options.Epochs, cpuSeconds / _options.Epochs, lastLoss, (double)allocated / Math.Max(1, steps - 1));
    }

    /// <summary>Accuracy over <paramref name="digits"/>, in batches of the training batch size.</summary>
    public double Evaluate(IClassifier model, Digits digits)
    {
        int correct = 0;
        for (int first = 0; first < digits.Count; first += _options.BatchSize)
        {
            int batch = Math.Min(_options.BatchSize, digits.Count - first);
            ReadOnlySpan<float> logits = model.Forward(digits.Images.AsSpan(first * Digits.Pixels, batch * Digits.Pixels), batch);
            correct += SoftmaxCrossEntropy.CountCorrect(logits, digits.Labels.AsSpan(first, batch), model.Classes);
        }
        return (double)correct / digits.Count;
    }

    /// <summary>Linear warm-up to the peak, then cosine decay to zero at the last step.</summary>
    private double LearningRate(long step, long total, long warmup)
    {
        if (step < warmup) return _options.LearningRate * (step + 1) / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, total - warmup);
        return _options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
