using System;
using ILGPU.Runtime;

namespace StructGen.Gpu;

/// <summary>
/// A <c>.sgl</c> model's parameters and gradients on an ILGPU accelerator, with the launchers of its generated
/// kernels: every layer step (its bias included) and every activation step, forward and backward. Obtain one
/// from a generated model: <c>using var gpu = model.ToAccelerator(accelerator);</c>.
/// </summary>
/// <remarks>
/// The intermediate activations and their gradients live in the launcher's device scratch (grown with the
/// batch, never per call), as the CPU model keeps them in its scratch; <see cref="GpuModule.Backward"/>
/// recomputes them from its input, so no state is kept between the passes. Parameters are uploaded from
/// <see cref="Model"/> when the launcher is created; the sync methods read and write it.
/// </remarks>
public abstract class GpuModel : GpuModule
{
    /// <summary>Allocates the device buffers and uploads <paramref name="model"/>'s parameters.</summary>
    /// <param name="model">The CPU model whose parameters this launcher mirrors.</param>
    /// <param name="accelerator">Where the kernels run.</param>
    /// <param name="scratchFloatsPerRow">Device scratch floats the kernels need per row of a batch (activations, their gradients, the layers' scratch).</param>
    /// <param name="threadsPerGroup">Threads per group of the generated kernels (their tile shape).</param>
    /// <exception cref="NotSupportedException">The accelerator cannot run groups of <paramref name="threadsPerGroup"/> threads.</exception>
    protected GpuModel(IStructuredModel model, Accelerator accelerator, int scratchFloatsPerRow, int threadsPerGroup)
        : base(model ?? throw new ArgumentNullException(nameof(model)), model.InFeatures, model.OutFeatures, accelerator, scratchFloatsPerRow, threadsPerGroup)
    {
        Model = model;
    }

    /// <summary>The CPU model whose parameters this launcher mirrors (and that the sync methods read and write).</summary>
    public IStructuredModel Model { get; }
}
