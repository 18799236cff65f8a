using System;
using StructGen.Training;

namespace StructGen;

/// <summary>
/// A model declared in a <c>.sgl</c> file (<c>model Mlp : 784 -&gt; 10 { monarch(blocks: 28) -&gt; 784; gelu; lowrank(r: 8) -&gt; 10; }</c>):
/// structured layers, each with its bias, and element-wise activations, applied in order. The class is
/// generated with kernels specialized to every step; intermediate activations live in scratch buffers the
/// model owns (rented per call, so concurrent forward passes share nothing and steady-state calls allocate
/// nothing).
/// </summary>
/// <remarks>
/// A model is not an <see cref="IStructuredLinear"/>: its activations make it nonlinear, so it has no dense
/// weight. (To compose linear structures into one linear layer, declare a <c>layer</c> with a chain,
/// <c>a -&gt; h -&gt; b</c>, which has <see cref="IStructuredLinear.ToDense"/>.) Its tensors are keyed as
/// <c>torch.nn.Sequential</c> keys them: by step index, activations counted (<c>0.blkdiag1</c>, <c>0.bias</c>,
/// <c>2.A</c>, …), so the state dict of the same <c>nn.Sequential</c> loads as-is.
/// </remarks>
public interface IStructuredModel : ITrainable
{
    /// <summary>Number of input features.</summary>
    int InFeatures { get; }

    /// <summary>Number of output features.</summary>
    int OutFeatures { get; }

    /// <summary>Number of trainable values, biases included.</summary>
    int ParameterCount { get; }

    /// <summary>Floating-point operations of the layers for one input row (activations and biases not counted).</summary>
    long ForwardFlopsPerRow { get; }

    /// <summary>Runs every step on <paramref name="batch"/> rows.</summary>
    /// <param name="input"><c>[batch, InFeatures]</c>, row-major.</param>
    /// <param name="output"><c>[batch, OutFeatures]</c>, row-major; overwritten.</param>
    /// <param name="batch">Number of rows; zero is allowed.</param>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> through every step: writes <c>∂L/∂input</c> into
    /// <paramref name="inputGradient"/> and <em>adds</em> every parameter gradient into
    /// <see cref="ITrainable.Gradients"/>. The intermediate activations are recomputed from
    /// <paramref name="input"/>, so no state is kept between the forward and this call (the overload with
    /// <c>saved</c> reads them from the training forward instead).
    /// </summary>
    /// <param name="input">The input of the forward pass, <c>[batch, InFeatures]</c>.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>, <c>[batch, OutFeatures]</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>, <c>[batch, InFeatures]</c>; overwritten.</param>
    /// <param name="batch">Number of rows; zero is allowed.</param>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch);

    /// <summary>
    /// Floats per input row that the training forward keeps for the training backward: every step output the
    /// backward reads (all but the model's own output, which is kept too when an activation ends the model) and
    /// the intermediates of the low-rank, Kronecker, BLAST and Monarch steps (<see cref="IStructuredLinear.SavedPerRow"/>).
    /// </summary>
    int SavedPerRow => 0;

    /// <summary>
    /// Training forward: the same output bits as <see cref="Forward(ReadOnlySpan{float}, Span{float}, int)"/>, and writes
    /// into <paramref name="saved"/> (<c>[batch · SavedPerRow]</c> floats) what the backward would otherwise recompute.
    /// </summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> saved) => Forward(input, output, batch);

    /// <summary>
    /// Training backward: as <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>, reading the
    /// step outputs and layer intermediates from <paramref name="saved"/> (written by the training forward of the same
    /// input and parameters) instead of running the forward again.
    /// </summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, ReadOnlySpan<float> saved)
        => Backward(input, outputGradient, inputGradient, batch);

    /// <summary>Re-initializes every parameter deterministically from <paramref name="seed"/>.</summary>
    void Initialize(int seed);
}
