using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace StructGen.Gpu.Tests;

/// <summary>Accelerator selection. No GPU is lent to CI, so these see only ILGPU's CPU accelerator.</summary>
public class GpuAcceleratorsTests
{
    [Fact]
    public void Without_a_gpu_the_cpu_accelerator_is_chosen_and_the_reason_says_why()
    {
        using Context context = Context.Create(b => b.DefaultCPU());
        using AcceleratorSelection selection = GpuAccelerators.CreateBest(context);
        Assert.Equal(AcceleratorType.CPU, selection.Type);
        Assert.Equal(AcceleratorType.CPU, selection.Accelerator.AcceleratorType);
        Assert.Contains("CPU accelerator", selection.Reason);
        Assert.Contains("no CUDA device found", selection.Reason);
        Assert.Contains("no OpenCL device found", selection.Reason);
        Assert.True(selection.Accelerator.MaxNumThreadsPerGroup >= GpuAccelerators.RequiredThreadsPerGroup);
    }

    [Fact]
    public void The_default_context_offers_a_usable_device()
    {
        using Context context = GpuAccelerators.CreateContext();
        AcceleratorChoice choice = GpuAccelerators.Choose(context.Devices);
        Assert.Contains(choice.Device, context.Devices);
        Assert.False(string.IsNullOrWhiteSpace(choice.Reason));
    }

    [Fact]
    public void No_device_is_an_error_that_says_how_to_build_the_context()
    {
        var e = Assert.Throws<InvalidOperationException>(() => GpuAccelerators.Choose(Enumerable.Empty<Device>()));
        Assert.Contains("CreateContext", e.Message);
    }
}
