using System;
using ILGPU;
using ILGPU.Runtime;

namespace StructGen.Gpu;

/// <summary>
/// A structured layer's parameters and gradients on an ILGPU accelerator, with the launchers of the
/// layer's generated kernels. Obtain one from a generated layer: <c>using var gpu = layer.ToAccelerator(accelerator);</c>.
/// </summary>
/// <remarks>
/// <para>
/// Activations are device views, row-major <c>[batch, features]</c>, as on the CPU. The parameters are
/// uploaded from <see cref="Layer"/> when the launcher is created; <see cref="UploadParameters"/> and
/// <see cref="DownloadParameters"/> sync them again either way. <see cref="Backward"/> <em>adds</em> the
/// parameter gradients into a device buffer (zero at creation) that <see cref="DownloadGradients()"/> copies
/// into <see cref="IStructuredLinear.Gradients"/>.
/// </para>
/// <para>
/// Kernels are enqueued on the accelerator's default stream and run asynchronously; the download methods
/// synchronize first. The scratch memory between kernels is allocated once and grown only when a larger
/// batch arrives, so steady-state calls allocate nothing on the device. One launcher is not safe to use from
/// several threads at once (its scratch is shared); create one launcher per thread instead.
/// </para>
/// </remarks>
public abstract class GpuLayer : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _gradients;
    private MemoryBuffer1D<float, Stride1D.Dense>? _scratch;
    private bool _disposed;

    /// <summary>Allocates the device buffers and uploads <paramref name="layer"/>'s parameters.</summary>
    /// <param name="layer">The CPU layer whose parameters this launcher mirrors.</param>
    /// <param name="accelerator">Where the kernels run.</param>
    /// <param name="scratchFloatsPerRow">Device scratch floats the kernels need per row of a batch.</param>
    /// <param name="threadsPerGroup">Threads per group of the generated kernels (their tile shape).</param>
    /// <exception cref="NotSupportedException">The accelerator cannot run groups of <paramref name="threadsPerGroup"/> threads.</exception>
    protected GpuLayer(IStructuredLinear layer, Accelerator accelerator, int scratchFloatsPerRow, int threadsPerGroup)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentOutOfRangeException.ThrowIfNegative(scratchFloatsPerRow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadsPerGroup);
        if (accelerator.MaxNumThreadsPerGroup < threadsPerGroup)
        {
            throw new NotSupportedException(
                $"The generated kernels run groups of {threadsPerGroup} threads, but accelerator '{accelerator.Name}' allows at most {accelerator.MaxNumThreadsPerGroup}.");
        }
        Layer = layer;
        Accelerator = accelerator;
        ScratchFloatsPerRow = scratchFloatsPerRow;
        ThreadsPerGroup = threadsPerGroup;
        _parameters = accelerator.Allocate1D<float>(layer.ParameterCount);
        _gradients = accelerator.Allocate1D<float>(layer.ParameterCount);
        _gradients.View.MemSetToZero();
        UploadParameters();
    }

    /// <summary>The CPU layer whose parameters this launcher mirrors (and that the sync methods read and write).</summary>
    public IStructuredLinear Layer { get; }

    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Number of input features (<c>In</c>).</summary>
    public int InFeatures => Layer.InFeatures;

    /// <summary>Number of output features (<c>Out</c>).</summary>
    public int OutFeatures => Layer.OutFeatures;

    /// <summary>The parameters on the device, laid out as <see cref="IStructuredLinear.Tensors"/> describes (for device-side optimizers).</summary>
    public ArrayView<float> Parameters => Live()._parameters.View;

    /// <summary>The accumulated parameter gradients on the device, same layout as <see cref="Parameters"/>.</summary>
    public ArrayView<float> Gradients => Live()._gradients.View;

    /// <summary>Rows of a batch the device scratch holds now; it grows when a larger batch arrives and never shrinks.</summary>
    public int ScratchCapacity { get; private set; }

    /// <summary>Scratch floats per row of a batch that the kernels need between steps.</summary>
    protected int ScratchFloatsPerRow { get; }

    /// <summary>Threads per group of every kernel of this layer.</summary>
    protected int ThreadsPerGroup { get; }

    /// <summary>Enqueues <c>output = input·Wᵀ + bias</c> for <paramref name="batch"/> rows.</summary>
    /// <param name="input"><c>[batch, InFeatures]</c> on this accelerator, exactly <c>batch·InFeatures</c> long.</param>
    /// <param name="output"><c>[batch, OutFeatures]</c> on this accelerator, exactly <c>batch·OutFeatures</c> long; overwritten.</param>
    /// <param name="batch">Number of rows; zero does nothing.</param>
    /// <exception cref="ArgumentException">A view has the wrong length, lives on another accelerator, or the two overlap.</exception>
    public void Forward(ArrayView<float> input, ArrayView<float> output, int batch)
    {
        Live();
        GpuGuard.Batch(batch, InFeatures, OutFeatures, ScratchFloatsPerRow);
        GpuGuard.View(input, batch, InFeatures, nameof(input), Accelerator);
        GpuGuard.View(output, batch, OutFeatures, nameof(output), Accelerator);
        GpuGuard.Disjoint(input, output, nameof(input), nameof(output));
        if (batch == 0)
        {
            return;
        }
        ForwardCore(input, output, batch, Scratch(batch));
    }

    /// <summary>
    /// Enqueues the backward pass: writes <c>∂L/∂input</c> into <paramref name="inputGradient"/> and <em>adds</em>
    /// every parameter gradient into <see cref="Gradients"/>.
    /// </summary>
    /// <param name="input">The input the forward pass saw, <c>[batch, InFeatures]</c>.</param>
    /// <param name="outputGradient"><c>∂L/∂output</c>, <c>[batch, OutFeatures]</c>.</param>
    /// <param name="inputGradient"><c>∂L/∂input</c>, <c>[batch, InFeatures]</c>; overwritten.</param>
    /// <param name="batch">Number of rows; zero does nothing.</param>
    /// <exception cref="ArgumentException">A view has the wrong length, lives on another accelerator, or the input gradient overlaps another view.</exception>
    public void Backward(ArrayView<float> input, ArrayView<float> outputGradient, ArrayView<float> inputGradient, int batch)
    {
        Live();
        GpuGuard.Batch(batch, InFeatures, OutFeatures, ScratchFloatsPerRow);
        GpuGuard.View(input, batch, InFeatures, nameof(input), Accelerator);
        GpuGuard.View(outputGradient, batch, OutFeatures, nameof(outputGradient), Accelerator);
        GpuGuard.View(inputGradient, batch, InFeatures, nameof(inputGradient), Accelerator);
        GpuGuard.Disjoint(input, inputGradient, nameof(input), nameof(inputGradient));
        GpuGuard.Disjoint(outputGradient, inputGradient, nameof(outputGradient), nameof(inputGradient));
        if (batch == 0)
        {
            return;
        }
        BackwardCore(input, outputGradient, inputGradient, batch, Scratch(batch));
    }

    /// <summary>Sets every device gradient to zero (enqueued).</summary>
    public void ZeroGradients() => Live()._gradients.View.MemSetToZero();

    /// <summary>Waits for every enqueued kernel and copies the device gradients into <see cref="IStructuredLinear.Gradients"/>.</summary>
    public void DownloadGradients() => DownloadGradients(Layer.Gradients);

    /// <summary>Waits for every enqueued kernel and copies the device gradients into <paramref name="destination"/>.</summary>
    /// <param name="destination">Exactly <see cref="IStructuredLinear.ParameterCount"/> floats.</param>
    public void DownloadGradients(Span<float> destination)
    {
        Live();
        GpuGuard.Host(destination.Length, Layer.ParameterCount, nameof(destination));
        Accelerator.Synchronize();
        ((ArrayView<float>)_gradients.View).CopyToCPU(destination);
    }

    /// <summary>Copies <see cref="IStructuredLinear.Parameters"/> of <see cref="Layer"/> to the device (after a CPU-side update or a checkpoint load).</summary>
    public void UploadParameters()
    {
        Live();
        ReadOnlySpan<float> source = Layer.Parameters;
        GpuGuard.Host(source.Length, (int)_parameters.Length, "Layer.Parameters");
        Accelerator.Synchronize();
        ((ArrayView<float>)_parameters.View).CopyFromCPU(source);
    }

    /// <summary>Waits for every enqueued kernel and copies the device parameters into <see cref="IStructuredLinear.Parameters"/> of <see cref="Layer"/>.</summary>
    public void DownloadParameters()
    {
        Live();
        Accelerator.Synchronize();
        ((ArrayView<float>)_parameters.View).CopyToCPU(Layer.Parameters);
    }

    /// <summary>Waits until every enqueued kernel has finished.</summary>
    public void Synchronize() => Live().Accelerator.Synchronize();

    /// <summary>Releases the device buffers.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the device buffers when <paramref name="disposing"/>.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (disposing)
        {
            _scratch?.Dispose();
            _gradients.Dispose();
            _parameters.Dispose();
        }
    }

    /// <summary>Enqueues the forward kernels; arguments are validated and <paramref name="batch"/> is positive.</summary>
    /// <param name="input"><c>[batch, InFeatures]</c>.</param>
    /// <param name="output"><c>[batch, OutFeatures]</c>.</param>
    /// <param name="batch">Rows, at least one.</param>
    /// <param name="scratch">Exactly <c>batch·ScratchFloatsPerRow</c> floats of device scratch.</param>
    protected abstract void ForwardCore(ArrayView<float> input, ArrayView<float> output, int batch, ArrayView<float> scratch);

    /// <summary>Enqueues the backward kernels; arguments are validated and <paramref name="batch"/> is positive.</summary>
    /// <param name="input"><c>[batch, InFeatures]</c>.</param>
    /// <param name="outputGradient"><c>[batch, OutFeatures]</c>.</param>
    /// <param name="inputGradient"><c>[batch, InFeatures]</c>, overwritten.</param>
    /// <param name="batch">Rows, at least one.</param>
    /// <param name="scratch">Exactly <c>batch·ScratchFloatsPerRow</c> floats of device scratch.</param>
    protected abstract void BackwardCore(ArrayView<float> input, ArrayView<float> outputGradient, ArrayView<float> inputGradient, int batch, ArrayView<float> scratch);

    /// <summary>A launch configuration of <paramref name="groups"/> groups of <see cref="ThreadsPerGroup"/> threads.</summary>
    protected KernelConfig Groups(long groups)
    {
        if (groups <= 0 || groups > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, "A kernel launch needs between 1 and 2^31 - 1 groups; use a smaller batch.");
        }
        return new KernelConfig(new Index1D((int)groups), new Index1D(ThreadsPerGroup));
    }

    /// <summary><c>⌈value / tile⌉</c>, the number of tiles that cover <paramref name="value"/>.</summary>
    protected static long Tiles(long value, int tile) => (value + tile - 1) / tile;

    private ArrayView<float> Scratch(int batch)
    {
        if (ScratchFloatsPerRow == 0)
        {
            return ArrayView<float>.Empty;
        }
        if (_scratch is null || batch > ScratchCapacity)
        {
            // Grow by half again at least, so a batch that creeps upwards does not reallocate every call.
            long grown = Math.Max(batch, (long)ScratchCapacity + ScratchCapacity / 2);
            int rows = (int)Math.Min(grown, int.MaxValue / ScratchFloatsPerRow);
            _scratch?.Dispose();
            _scratch = null;
            _scratch = Accelerator.Allocate1D<float>((long)rows * ScratchFloatsPerRow);
            ScratchCapacity = rows;
        }
        return _scratch.View.SubView(0, (long)batch * ScratchFloatsPerRow);
    }

    private GpuLayer Live()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return this;
    }
}
