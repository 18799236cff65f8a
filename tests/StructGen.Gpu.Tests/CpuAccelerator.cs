using System;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace StructGen.Gpu.Tests;

/// <summary>
/// One ILGPU CPU accelerator for the whole test run (xunit collection fixture): kernels are compiled once
/// per accelerator, so sharing it keeps the run short. No GPU is lent to CI; this is how the kernels run there.
/// </summary>
public sealed class CpuAccelerator : IDisposable
{
    public CpuAccelerator()
    {
        // Assertions on: the CPU accelerator then checks every view access against its bounds.
        Context = Context.Create(builder => builder.DefaultCPU().Assertions());
        Accelerator = Context.CreateCPUAccelerator(0);
    }

    public Context Context { get; }

    public Accelerator Accelerator { get; }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CpuAcceleratorCollection : ICollectionFixture<CpuAccelerator>
{
    public const string Name = "ILGPU CPU accelerator";
}
