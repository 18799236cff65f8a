using System;
using System.Collections.Generic;
using ILGPU.Runtime;
using StructGen.Training;

namespace StructGen.Gpu;

/// <summary>
/// A structured layer's parameters and gradients on an ILGPU accelerator, with the launchers of the
/// layer's generated kernels. Obtain one from a generated layer: <c>using var gpu = layer.ToAccelerator(accelerator);</c>.
/// </summary>
/// <remarks>
/// Activations are device views, row-major <c>[batch, features]</c>, as on the CPU. The parameters are
/// uploaded from <see cref="Layer"/> when the launcher is created; <see cref="GpuModule.UploadParameters"/> and
/// <see cref="GpuModule.DownloadParameters"/> sync them again either way. <see cref="GpuModule.Backward"/>
/// <em>adds</em> the parameter gradients into a device buffer (zero at creation) that
/// <see cref="GpuModule.DownloadGradients()"/> copies into <see cref="IStructuredLinear.Gradients"/>.
/// </remarks>
public abstract class GpuLayer : GpuModule
{
    /// <summary>Allocates the device buffers and uploads <paramref name="layer"/>'s parameters.</summary>
    /// <param name="layer">The CPU layer whose parameters this launcher mirrors.</param>
    /// <param name="accelerator">Where the kernels run.</param>
    /// <param name="scratchFloatsPerRow">Device scratch floats the kernels need per row of a batch.</param>
    /// <param name="threadsPerGroup">Threads per group of the generated kernels (their tile shape).</param>
    /// <exception cref="NotSupportedException">The accelerator cannot run groups of <paramref name="threadsPerGroup"/> threads.</exception>
    protected GpuLayer(IStructuredLinear layer, Accelerator accelerator, int scratchFloatsPerRow, int threadsPerGroup)
        : base(new LayerHost(layer ?? throw new ArgumentNullException(nameof(layer))), layer.InFeatures, layer.OutFeatures, accelerator, scratchFloatsPerRow, threadsPerGroup)
    {
        Layer = layer;
    }

    /// <summary>The CPU layer whose parameters this launcher mirrors (and that the sync methods read and write).</summary>
    public IStructuredLinear Layer { get; }

    /// <summary>A layer seen as the <see cref="ITrainable"/> the base class syncs with (the same members).</summary>
    private sealed class LayerHost : ITrainable
    {
        private readonly IStructuredLinear _layer;

        public LayerHost(IStructuredLinear layer) => _layer = layer;

        public Span<float> Parameters => _layer.Parameters;

        public Span<float> Gradients => _layer.Gradients;

        public IReadOnlyList<ParameterTensor> Tensors => _layer.Tensors;

        public void ZeroGradients() => _layer.ZeroGradients();
    }
}
