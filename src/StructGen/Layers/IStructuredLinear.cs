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

    /// <summary>Parameter gradients accumulated by <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/> (and its training overload); same layout as <see cref="Parameters"/>.</summary>
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

    /// <summary>
    /// Floats per input row that the training overload of <see cref="Forward(ReadOnlySpan{float}, Span{float}, int, Span{float})"/>
    /// keeps for <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, ReadOnlySpan{float})"/>, as
    /// PyTorch's autograd saves tensors for its backward: the low-rank <c>h = x·Aᵀ</c>, the Kronecker <c>T = X·w2ᵀ</c>,
    /// BLAST's <c>z</c>, Monarch's permuted first-factor output. Zero where the backward needs only the input (dense,
    /// block diagonal, sums and chains, which recompute their operands' intermediates).
    /// </summary>
    int SavedPerRow => 0;

    /// <summary>
    /// Training forward: computes <c>output = input·Wᵀ + bias</c> exactly as <see cref="Forward(ReadOnlySpan{float}, Span{float}, int)"/>
    /// does and also writes into <paramref name="saved"/> the intermediate the backward would otherwise recompute.
    /// </summary>
    /// <param name="input"><c>[batch, InFeatures]</c>, row-major.</param>
    /// <param name="output"><c>[batch, OutFeatures]</c>, row-major; overwritten.</param>
    /// <param name="batch">Number of rows; zero is allowed.</param>
    /// <param name="saved">
    /// <c>[batch, SavedPerRow]</c>; overwritten. Pass it unchanged to the matching backward. Any buffer works; one whose
    /// first float is on a 64-byte boundary (as are the layer's own parameters and scratch) is read fastest.
    /// </param>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> saved) => Forward(input, output, batch);

    /// <summary>
    /// Training backward: as <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>, but reads the
    /// intermediate that the training forward saved for these rows instead of recomputing it (for low rank, Kronecker and
    /// BLAST one product of five fewer; for Monarch the first factor's product and the permutation).
    /// </summary>
    /// <param name="input">The input the forward pass saw, <c>[batch, InFeatures]</c>.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>, <c>[batch, OutFeatures]</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>, <c>[batch, InFeatures]</c>; overwritten.</param>
    /// <param name="batch">Number of rows; zero is allowed.</param>
    /// <param name="saved">What the training forward wrote for the same input and parameters, <c>[batch, SavedPerRow]</c>.</param>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, ReadOnlySpan<float> saved)
        => Backward(input, outputGradient, inputGradient, batch);

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Writes the dense weight <c>W</c> (<c>[OutFeatures, InFeatures]</c>, row-major, bias excluded).</summary>
    void ToDense(Span<float> weight);

    /// <summary>Re-initializes every parameter deterministically from <paramref name="seed"/>.</summary>
    void Initialize(int seed);
}
