using System;
using ILGPU;
using ILGPU.Runtime;
using StructGen.Training;

namespace StructGen.Gpu;

/// <summary>
/// The parameters, gradients and scratch of a generated layer or model on an ILGPU accelerator, with the
/// argument checks and host sync that every generated launcher shares. The launchers derive from
/// <see cref="GpuLayer"/> (a structured layer) or <see cref="GpuModel"/> (a <c>.sgl</c> model).
/// </summary>
/// <remarks>
/// <para>
/// Activations are device views, row-major <c>[batch, features]</c>, as on the CPU. The parameters are
/// uploaded from the host object when the launcher is created; <see cref="UploadParameters"/> and
/// <see cref="DownloadParameters"/> sync them again either way. <see cref="Backward"/> <em>adds</em> the
/// parameter gradients into a device buffer (zero at creation) that <see cref="DownloadGradients()"/> copies
/// into the host object's gradients.
/// </para>
/// <para>
/// Kernels are enqueued on the accelerator's default stream and run asynchronously; the download methods
/// synchronize first. The scratch memory between kernels is allocated once and grown only when a larger
/// batch arrives, so steady-state calls allocate nothing on the device. One launcher is not safe to use from
/// several threads at once (its scratch is shared); create one launcher per thread instead.
/// </para>
/// </remarks>
public abstract class GpuModule : IDisposable
{
    private readonly ITrainable _host;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _gradients;
    private MemoryBuffer1D<float, Stride1D.Dense>? _scratch;
    private bool _disposed;

    /// <summary>Allocates the device buffers and uploads <paramref name="host"/>'s parameters.</summary>
    /// <param name="host">The CPU layer or model whose parameters this launcher mirrors.</param>
    /// <param name="inFeatures">Input features of a row.</param>
    /// <param name="outFeatures">Output features of a row.</param>
    /// <param name="accelerator">Where the kernels run.</param>
    /// <param name="scratchFloatsPerRow">Device scratch floats the kernels need per row of a batch.</param>
    /// <param name="threadsPerGroup">Threads per group of the generated kernels (their tile shape).</param>
    /// <exception cref="NotSupportedException">The accelerator cannot run groups of <paramref name="threadsPerGroup"/> threads.</exception>
    private protected GpuModule(ITrainable host, int inFeatures, int outFeatures, Accelerator accelerator, int scratchFloatsPerRow, int threadsPerGroup)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentOutOfRangeException.ThrowIfNegative(scratchFloatsPerRow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadsPerGroup);
        if (accelerator.MaxNumThreadsPerGroup < threadsPerGroup)
        {
            throw new NotSupportedException(
                $"The generated kernels run groups of {threadsPerGroup} threads, but accelerator '{accelerator.Name}' allows at most {accelerator.MaxNumThreadsPerGroup}.");
        }
        _host = host;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        ParameterCount = host.Parameters.Length;
        Accelerator = accelerator;
        ScratchFloatsPerRow = scratchFloatsPerRow;
        ThreadsPerGroup = threadsPerGroup;
        // At least one element: a model of activations only has no parameters, and empty buffers are not portable.
        _parameters = accelerator.Allocate1D<float>(Math.Max(1, ParameterCount));
        _gradients = accelerator.Allocate1D<float>(Math.Max(1, ParameterCount));
        _gradients.View.MemSetToZero();
        UploadParameters();
    }

    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Number of input features (<c>In</c>).</summary>
    public int InFeatures { get; }

    /// <summary>Number of output features (<c>Out</c>).</summary>
    public int OutFeatures { get; }

    /// <summary>Number of parameters (biases included) in <see cref="Parameters"/> and <see cref="Gradients"/>.</summary>
    public int ParameterCount { get; }

    /// <summary>The parameters on the device, laid out as the host's <see cref="ITrainable.Tensors"/> describes (for device-side optimizers).</summary>
    public ArrayView<float> Parameters => Live()._parameters.View.SubView(0, ParameterCount);

    /// <summary>The accumulated parameter gradients on the device, same layout as <see cref="Parameters"/>.</summary>
    public ArrayView<float> Gradients => Live()._gradients.View.SubView(0, ParameterCount);

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

    /// <summary>Waits for every enqueued kernel and copies the device gradients into the host layer's or model's gradients.</summary>
    public void DownloadGradients() => DownloadGradients(_host.Gradients);

    /// <summary>Waits for every enqueued kernel and copies the device gradients into <paramref name="destination"/>.</summary>
    /// <param name="destination">Exactly <see cref="ParameterCount"/> floats.</param>
    public void DownloadGradients(Span<float> destination)
    {
        Live();
        GpuGuard.Host(destination.Length, ParameterCount, nameof(destination));
        Accelerator.Synchronize();
        if (ParameterCount > 0)
        {
            Gradients.CopyToCPU(destination);
        }
    }

    /// <summary>Copies the host layer's or model's parameters to the device (after a CPU-side update or a checkpoint load).</summary>
    public void UploadParameters()
    {
        Live();
        ReadOnlySpan<float> source = _host.Parameters;
        GpuGuard.Host(source.Length, ParameterCount, "Parameters");
        Accelerator.Synchronize();
        if (ParameterCount > 0)
        {
            Parameters.CopyFromCPU(source);
        }
    }

    /// <summary>Waits for every enqueued kernel and copies the device parameters into the host layer's or model's parameters.</summary>
    public void DownloadParameters()
    {
        Live();
        Accelerator.Synchronize();
        if (ParameterCount > 0)
        {
            Parameters.CopyToCPU(_host.Parameters);
        }
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

    private GpuModule Live()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return this;
    }
}
