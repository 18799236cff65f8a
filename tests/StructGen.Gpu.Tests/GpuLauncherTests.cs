using System;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using StructGen.Gpu.Tests.Oracle;

namespace StructGen.Gpu.Tests;

/// <summary>The launcher's contract: argument checks, batch zero, scratch reuse, parameter and gradient sync, disposal.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public class GpuLauncherTests
{
    private readonly Accelerator _accelerator;

    public GpuLauncherTests(CpuAccelerator fixture) => _accelerator = fixture.Accelerator;

    [Fact]
    public void Views_of_the_wrong_length_are_rejected_with_the_sizes_in_the_message()
    {
        var layer = new GpuLowRank40x23();
        using var gpu = layer.ToAccelerator(_accelerator);
        using var x = _accelerator.Allocate1D<float>(3 * 40);
        using var y = _accelerator.Allocate1D<float>(3 * 23);
        using var wrong = _accelerator.Allocate1D<float>(3 * 23 + 1);

        var e = Assert.Throws<ArgumentException>(() => gpu.Forward(x.View, wrong.View, 3));
        Assert.Equal("output", e.ParamName);
        Assert.Contains("batch·features = 3·23 = 69", e.Message);
        Assert.Contains("has 70", e.Message);

        e = Assert.Throws<ArgumentException>(() => gpu.Forward(y.View, y.View, 3));
        Assert.Equal("input", e.ParamName);

        using var dx = _accelerator.Allocate1D<float>(2 * 40);
        e = Assert.Throws<ArgumentException>(() => gpu.Backward(x.View, y.View, dx.View, 3));
        Assert.Equal("inputGradient", e.ParamName);

        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Forward(x.View, y.View, -1));
    }

    [Fact]
    public void Overlapping_views_and_views_of_another_accelerator_are_rejected()
    {
        var layer = new GpuDense20x33NoBias();
        using var gpu = layer.ToAccelerator(_accelerator);
        using var shared = _accelerator.Allocate1D<float>(2 * 20 + 2 * 33);
        ArrayView<float> x = shared.View.SubView(0, 40);
        var e = Assert.Throws<ArgumentException>(() => gpu.Forward(x, shared.View.SubView(30, 66), 2));
        Assert.Contains("overlap", e.Message);
        gpu.Forward(x, shared.View.SubView(40, 66), 2); // adjacent is fine

        using var context = Context.Create(b => b.DefaultCPU());
        using var other = context.CreateCPUAccelerator(0);
        using var foreign = other.Allocate1D<float>(40);
        using var y = _accelerator.Allocate1D<float>(66);
        e = Assert.Throws<ArgumentException>(() => gpu.Forward(foreign.View, y.View, 2));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("accelerator", e.Message);
    }

    [Fact]
    public void Batch_zero_does_nothing()
    {
        var layer = new GpuDense37x29();
        using var gpu = layer.ToAccelerator(_accelerator);
        gpu.Forward(ArrayView<float>.Empty, ArrayView<float>.Empty, 0);
        gpu.Backward(ArrayView<float>.Empty, ArrayView<float>.Empty, ArrayView<float>.Empty, 0);
        var gradients = new float[layer.ParameterCount];
        gpu.DownloadGradients(gradients);
        Assert.All(gradients, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Scratch_is_allocated_once_and_grown_only_for_a_larger_batch()
    {
        var layer = new GpuMonarchPadded10x14();
        using var gpu = layer.ToAccelerator(_accelerator);
        Assert.Equal(0, gpu.ScratchCapacity);
        using var x = _accelerator.Allocate1D(LayerCatalog.Random(9 * 10, 1));
        using var y = _accelerator.Allocate1D<float>(9 * 14);

        gpu.Forward(x.View.SubView(0, 4 * 10), y.View.SubView(0, 4 * 14), 4);
        int first = gpu.ScratchCapacity;
        Assert.True(first >= 4);
        gpu.Forward(x.View.SubView(0, 3 * 10), y.View.SubView(0, 3 * 14), 3);
        gpu.Forward(x.View.SubView(0, 4 * 10), y.View.SubView(0, 4 * 14), 4);
        Assert.Equal(first, gpu.ScratchCapacity); // steady state: no new device buffer
        gpu.Forward(x.View, y.View, 9);
        Assert.True(gpu.ScratchCapacity >= 9);

        // The output after the growth is still right.
        var expected = new float[9 * 14];
        layer.Forward(LayerCatalog.Random(9 * 10, 1), expected, 9);
        Tolerance.Close(expected, y.GetAsArray1D(), 1e-5, "after growth");
    }

    [Fact]
    public void Parameters_sync_both_ways_and_gradients_accumulate_until_zeroed()
    {
        var layer = new GpuKron12x35();
        using var gpu = layer.ToAccelerator(_accelerator);
        const int batch = 3;
        float[] xs = LayerCatalog.Random(batch * 12, 3), dys = LayerCatalog.Random(batch * 35, 4);
        using var x = _accelerator.Allocate1D(xs);
        using var y = _accelerator.Allocate1D<float>(batch * 35);
        using var dy = _accelerator.Allocate1D(dys);
        using var dx = _accelerator.Allocate1D<float>(batch * 12);

        // CPU-side change, uploaded: the device computes with the new parameters.
        layer.Initialize(seed: 99);
        gpu.UploadParameters();
        gpu.Forward(x.View, y.View, batch);
        var expected = new float[batch * 35];
        layer.Forward(xs, expected, batch);
        Tolerance.Close(expected, y.GetAsArray1D(), 1e-5, "after upload");

        // Gradients add up on the device; DownloadGradients() fills the CPU layer's Gradients.
        gpu.Backward(x.View, dy.View, dx.View, batch);
        gpu.DownloadGradients();
        float[] once = layer.Gradients.ToArray();
        Assert.Contains(once, v => v != 0);
        gpu.Backward(x.View, dy.View, dx.View, batch);
        gpu.DownloadGradients();
        var twice = new double[once.Length];
        for (int i = 0; i < once.Length; i++) twice[i] = 2.0 * once[i];
        Tolerance.Close(twice, layer.Gradients, 1e-6, "accumulated");
        gpu.ZeroGradients();
        gpu.DownloadGradients();
        Assert.All(layer.Gradients.ToArray(), v => Assert.Equal(0f, v));

        // A device-side change, downloaded into the CPU layer.
        gpu.Parameters.MemSetToZero();
        gpu.DownloadParameters();
        Assert.All(layer.Parameters.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_disposed_launcher_refuses_work()
    {
        var layer = new GpuDense37x29();
        GpuLayer gpu = layer.ToAccelerator(_accelerator);
        gpu.Dispose();
        gpu.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => gpu.Forward(ArrayView<float>.Empty, ArrayView<float>.Empty, 0));
        Assert.Throws<ObjectDisposedException>(() => gpu.DownloadParameters());
    }

    [Fact]
    public void Null_accelerator_is_rejected()
    {
        var layer = new GpuDense37x29();
        Assert.Throws<ArgumentNullException>(() => layer.ToAccelerator(null!));
    }
}
