using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;

namespace StructGen.Gpu;

/// <summary>
/// Picks the best ILGPU accelerator present: a CUDA GPU, else an OpenCL device, else ILGPU's CPU
/// accelerator (which runs the same kernels on the CPU: correct, slow, meant for tests and machines without a GPU).
/// </summary>
/// <example>
/// <code>
/// using Context context = GpuAccelerators.CreateContext();
/// using AcceleratorSelection selection = GpuAccelerators.CreateBest(context);
/// Console.WriteLine(selection.Reason);
/// using var gpu = layer.ToAccelerator(selection.Accelerator);
/// </code>
/// </example>
public static class GpuAccelerators
{
    /// <summary>Threads per group the generated kernels need; devices that allow fewer are skipped.</summary>
    public const int RequiredThreadsPerGroup = 16;

    /// <summary>A context with every accelerator kind ILGPU can use on this machine (CUDA, OpenCL, CPU).</summary>
    public static Context CreateContext() => Context.Create(builder => builder.Default());

    /// <summary>Chooses a device of <paramref name="context"/> (see <see cref="Choose(IEnumerable{Device})"/>) and creates its accelerator.</summary>
    /// <exception cref="InvalidOperationException">The context has no usable device.</exception>
    public static AcceleratorSelection CreateBest(Context context)
    {
        ArgumentNullException.ThrowIfNull(context);
        AcceleratorChoice choice = Choose(context.Devices);
        return new AcceleratorSelection(choice.Device.CreateAccelerator(context), choice);
    }

    /// <summary>
    /// The best of <paramref name="devices"/>: CUDA first, then OpenCL, then the CPU accelerator; within a kind
    /// the device with the most memory (the first one on a tie). Devices that cannot run groups of
    /// <see cref="RequiredThreadsPerGroup"/> threads are skipped. The choice says why it was made.
    /// </summary>
    /// <exception cref="InvalidOperationException">No device can run the kernels.</exception>
    public static AcceleratorChoice Choose(IEnumerable<Device> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        List<Device> usable = devices.Where(d => d.MaxNumThreadsPerGroup >= RequiredThreadsPerGroup).ToList();
        var skipped = new List<string>();
        foreach (AcceleratorType type in new[] { AcceleratorType.Cuda, AcceleratorType.OpenCL, AcceleratorType.CPU })
        {
            Device? best = usable.Where(d => d.AcceleratorType == type)
                .Aggregate((Device?)null, (b, d) => b is null || d.MemorySize > b.MemorySize ? d : b);
            if (best is not null)
            {
                string why = type switch
                {
                    AcceleratorType.Cuda => "a CUDA GPU is the fastest target",
                    AcceleratorType.OpenCL => "OpenCL is the best target present",
                    _ => "ILGPU's CPU accelerator runs the same kernels on the CPU (correct but slow: for tests and machines without a GPU)",
                };
                string reason = $"{Describe(type)} '{best.Name}' ({Memory(best.MemorySize)}): {why}"
                    + (skipped.Count > 0 ? "; " + string.Join("; ", skipped) : "") + ".";
                return new AcceleratorChoice(best, type, reason);
            }
            if (type != AcceleratorType.CPU)
            {
                skipped.Add($"no {Describe(type)} device found");
            }
        }
        throw new InvalidOperationException(
            $"No ILGPU device can run the kernels (groups of {RequiredThreadsPerGroup} threads). Create the context with GpuAccelerators.CreateContext() or Context.Create(b => b.Default()) so it includes the CPU accelerator.");
    }

    private static string Describe(AcceleratorType type) => type switch
    {
        AcceleratorType.Cuda => "CUDA",
        AcceleratorType.OpenCL => "OpenCL",
        _ => "CPU accelerator",
    };

    private static string Memory(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
        : (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB";
}

/// <summary>The device <see cref="GpuAccelerators.Choose(IEnumerable{Device})"/> picked, and why.</summary>
/// <param name="Device">The device.</param>
/// <param name="Type">Its kind: CUDA, OpenCL or CPU.</param>
/// <param name="Reason">One sentence naming the device and why it was chosen over the others.</param>
public sealed record AcceleratorChoice(Device Device, AcceleratorType Type, string Reason);

/// <summary>An accelerator created by <see cref="GpuAccelerators.CreateBest"/>, with the reason it was chosen. Disposing it disposes the accelerator.</summary>
public sealed class AcceleratorSelection : IDisposable
{
    internal AcceleratorSelection(Accelerator accelerator, AcceleratorChoice choice)
    {
        Accelerator = accelerator;
        Choice = choice;
    }

    /// <summary>The accelerator to pass to a layer's <c>ToAccelerator</c>.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The device chosen and why.</summary>
    public AcceleratorChoice Choice { get; }

    /// <summary>CUDA, OpenCL or CPU.</summary>
    public AcceleratorType Type => Choice.Type;

    /// <summary>Why this accelerator was chosen, e.g. <c>CUDA 'NVIDIA H100' (79.1 GiB): a CUDA GPU is the fastest target.</c></summary>
    public string Reason => Choice.Reason;

    /// <inheritdoc />
    public override string ToString() => Reason;

    /// <summary>Disposes the accelerator.</summary>
    public void Dispose() => Accelerator.Dispose();
}
