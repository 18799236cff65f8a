using System;
using StructGen.Training;

namespace Mnist;

/// <summary>
/// What the trainer needs from a model: forward to logits, backward from their gradient, and the
/// parameters for the optimizer. A DSL-generated model will implement the same few members.
/// </summary>
public interface IClassifier
{
    /// <summary>Name shown in progress lines and the table.</summary>
    string Name { get; }

    /// <summary>Input features (784).</summary>
    int InFeatures { get; }

    /// <summary>Number of classes (10).</summary>
    int Classes { get; }

    /// <summary>Trainable values, biases included.</summary>
    long ParameterCount { get; }

    /// <summary>Every layer's parameters and gradients.</summary>
    ParameterSet Parameters { get; }

    /// <summary>Computes the logits of <paramref name="batch"/> rows; the span is valid until the next call.</summary>
    ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int batch);

    /// <summary>Back-propagates the logit gradient of the last <see cref="Forward"/>, adding into the parameter gradients.</summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> logitGradient, int batch);
}
