using System;
using System.ComponentModel;

namespace StructGen.Kernels;

/// <summary>
/// What a generated layer exposes to <see cref="ParallelRows"/>: its passes over a contiguous run of
/// rows. The generated <c>Forward</c>/<c>Backward</c> call these directly on one thread, or hand them to
/// <see cref="ParallelRows"/> to split the batch over threads in chunks of whole tiles.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ITiledLayer
{
    /// <summary>
    /// Forward pass over <paramref name="rows"/> rows, bias included; when <paramref name="saved"/> is not empty
    /// (<c>[rows, SavedPerRow]</c>), the intermediate the backward needs is written there. <paramref name="streamOutput"/>
    /// says the whole call's output is large enough to write with streaming stores (<see cref="OutputStreaming"/>); a layer
    /// whose last pass cannot stream ignores it.
    /// </summary>
    void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows, Span<float> saved, bool streamOutput);

    /// <summary>
    /// Backward pass over <paramref name="rows"/> rows; parameter gradients are added into <paramref name="gradients"/>.
    /// When <paramref name="saved"/> is not empty it holds the forward's intermediate for these rows, which is then not recomputed.
    /// </summary>
    void BackwardRows(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int rows, Span<float> gradients, ReadOnlySpan<float> saved);
}
