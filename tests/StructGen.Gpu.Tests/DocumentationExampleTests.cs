using System;
using ILGPU;
using ILGPU.Runtime;
using StructGen.Gpu.Tests.Oracle;

namespace StructGen.Gpu.Tests;

/// <summary>The example of docs/gpu.md, on a smaller layer, run as written (CUDA → OpenCL → CPU accelerator).</summary>
public class DocumentationExampleTests
{
    [Fact]
    public void The_docs_example_runs_and_a_cpu_side_step_reaches_the_device()
    {
        var layer = new GpuMonarch36x100();

        using Context context = GpuAccelerators.CreateContext();
        using AcceleratorSelection selection = GpuAccelerators.CreateBest(context);
        Assert.False(string.IsNullOrEmpty(selection.Reason));
        Accelerator accelerator = selection.Accelerator;

        using GpuMonarch36x100.GpuLauncher gpu = layer.ToAccelerator(accelerator);

        const int batch = 5;
        float[] input = LayerCatalog.Random(batch * layer.InFeatures, 11);
        using MemoryBuffer1D<float, Stride1D.Dense> x = accelerator.Allocate1D(input);
        using MemoryBuffer1D<float, Stride1D.Dense> dy = accelerator.Allocate1D(LayerCatalog.Random(batch * layer.OutFeatures, 12));
        using MemoryBuffer1D<float, Stride1D.Dense> y = accelerator.Allocate1D<float>(batch * layer.OutFeatures);
        using MemoryBuffer1D<float, Stride1D.Dense> dx = accelerator.Allocate1D<float>(batch * layer.InFeatures);

        gpu.Forward(x.View, y.View, batch);
        gpu.Backward(x.View, dy.View, dx.View, batch);

        gpu.DownloadGradients();
        Span<float> parameters = layer.Parameters, gradients = layer.Gradients;
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= 0.01f * gradients[i];
        gpu.UploadParameters();
        gpu.ZeroGradients();

        gpu.Forward(x.View, y.View, batch);
        gpu.DownloadParameters();
        float[] output = y.GetAsArray1D();

        var expected = new float[batch * layer.OutFeatures];
        layer.Forward(input, expected, batch);
        Tolerance.Close(expected, output, 1e-5, "after a CPU-side step");
    }
}
