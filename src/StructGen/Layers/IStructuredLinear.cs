using System;
using System.Collections.Generic;

namespace StructGen;

/// <summary>
/// A linear layer <c>y = x·Wᵀ + b</c> whose weight <c>W</c> (<c>[Out, In]</c>) has a structure
/// (Monarch, low rank, Kronecker, BLAST, block diagonal, …). Classes implementing it are generated at
/// compile time from an attribute such as <c>[Monarch(blocks: 16, In = 1024, Out = 4096)]</c>.
/// </summary>
/// <remarks>
/// Activations are row-major <c>[batch, features]</c>, as in <c>torch.nn.Linear</c>. Parameters live in
/// one flat buffer; <see cref="Tensors"/> says where each named tensor (named as the PyTorch reference
/// code names it) starts and what its shape is. <see cref="Gradients"/> has the same layout.
/// </remarks>
public interface IStructuredLinear
{
    /// <summary>Number of input features (<c>In</c>).</summary>
    int InFeatures { get; }

    /// <summary>Number of output features (<c>Out</c>).</summary>
    int OutFeatures { get; }

    /// <summary>Number of trainable values, bias included.</summary>
    int ParameterCount { get; }

    /// <summary>Floating-point operations of one forward pass for one input row (multiply and add count as two).</summary>
    long ForwardFlopsPerRow { get; }

    /// <summary>All parameters, one flat buffer laid out as <see cref="Tensors"/> describes.</summary>
    Span<float> Parameters { get; }

    /// <summary>Parameter gradients accumulated by <see cref="Backward"/>; same layout as <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>The parameter tensors, in the order of STRUCTURES.md, bias last.</summary>
    IReadOnlyList<ParameterTensor> Tensors { get; }

    /// <summary>Computes <c>output = input·Wᵀ + bias</c> for <paramref name="batch"/> rows.</summary>
    /// <param name="input"><c>[batch, InFeatures]</c>, row-major.</param>
    /// <param name="output"><c>[batch, OutFeatures]</c>, row-major; overwritten.</param>
    /// <param name="batch">Number of rows; zero is allowed.</param>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/>: writes <c>∂L/∂input</c> into
    /// <paramref name="inputGradient"/> and <em>adds</em> every parameter gradient into <see cref="Gradients"/>.
    /// </summary>
    /// <param name="input">The input the forward pass saw, <c>[batch, InFeatures]</c>.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>, <c>[batch, OutFeatures]</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>, <c>[batch, InFeatures]</c>; overwritten.</param>
    /// <param name="batch">Number of rows; zero is allowed.</param>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch);

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Writes the dense weight <c>W</c> (<c>[OutFeatures, InFeatures]</c>, row-major, bias excluded).</summary>
    void ToDense(Span<float> weight);

    /// <summary>Re-initializes every parameter deterministically from <paramref name="seed"/>.</summary>
    void Initialize(int seed);
}
