using System;
using Demo.Models;
using StructGen;
using StructGen.Training;

namespace DslModel;

/// <summary>
/// Runs the model of Demo.sgl once forward and once backward on a random batch, and prints its parameter
/// table (the checkpoint keys, shapes and gradient norms) and those of the two layers declared beside it.
/// </summary>
public static class Program
{
    public static int Main()
    {
        var model = new Mlp();
        const int batch = 16;
        var rng = new Random(1);
        var x = new float[batch * model.InFeatures];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.Next(model.OutFeatures);

        // Forward (keeping what the backward reads), the loss and its gradient, backward (which adds into model.Gradients).
        var logits = new float[batch * model.OutFeatures];
        var saved = new float[batch * model.SavedPerRow];
        model.Forward(x, logits, batch, saved);
        var logitGradient = new float[logits.Length];
        double loss = SoftmaxCrossEntropy.LossAndGradient(logits, labels, logitGradient, model.OutFeatures);
        var inputGradient = new float[x.Length];
        model.ZeroGradients();
        model.Backward(x, logitGradient, inputGradient, batch, saved);

        Console.WriteLine($"model Mlp : {model.InFeatures} -> {model.OutFeatures}  (Demo.sgl)");
        Console.WriteLine($"  {model.ParameterCount:N0} parameters, {model.ForwardFlopsPerRow:N0} FLOPs per row; a dense 784-784-10 MLP has {784 * 784 + 784 + 784 * 10 + 10:N0}");
        Console.WriteLine($"  training forward keeps {model.SavedPerRow:N0} floats a row for the backward (step outputs and layer intermediates)");
        Console.WriteLine($"  batch of {batch}: cross-entropy {loss:F4} (ln 10 = {Math.Log(10):F4} for a uniform guess), |∂x| = {Norm(inputGradient):E3}");
        Console.WriteLine();
        PrintTable(model.Tensors, model.Parameters, model.Gradients);

        foreach (IStructuredLinear layer in new IStructuredLinear[] { new Adapter(), new Bottleneck() })
        {
            Console.WriteLine();
            Console.WriteLine($"layer {layer.GetType().Name} : {layer.InFeatures} -> {layer.OutFeatures}: {layer.ParameterCount:N0} parameters, {layer.ForwardFlopsPerRow:N0} FLOPs per row");
            PrintTable(layer.Tensors, layer.Parameters, layer.Gradients);
        }
        return double.IsFinite(loss) ? 0 : 1;
    }

    private static void PrintTable(System.Collections.Generic.IReadOnlyList<ParameterTensor> tensors, Span<float> parameters, Span<float> gradients)
    {
        Console.WriteLine($"  {"tensor",-12} {"shape",-14} {"values",8} {"|value|",10} {"|gradient|",11}");
        foreach (ParameterTensor tensor in tensors)
        {
            Console.WriteLine($"  {tensor.Name,-12} {"[" + string.Join(", ", tensor.Shape) + "]",-14} {tensor.Length,8:N0} {Norm(tensor.Slice(parameters)),10:F4} {Norm(tensor.Slice(gradients)),11:E3}");
        }
    }

    private static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }
}
