using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using StructGen.Dsl.Tests.Oracle;
using GpuTolerance = StructGen.Gpu.Tests.Oracle.Tolerance;

namespace StructGen.Gpu.Tests;

/// <summary>
/// .sgl models on ILGPU's CPU accelerator: the forward output, the input gradient and every parameter gradient
/// (biases included) equal the CPU model, and a double-precision reference written step by step (activations
/// from their definitions): its forward, and central finite differences of <c>L = Σ dy ⊙ y</c> for the gradients.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public class GpuModelTests
{
    private const int Batch = 17;
    private const double Step = 1e-5; // small: ReLU's kink stays out of reach of the differences

    private readonly Accelerator _accelerator;

    public GpuModelTests(CpuAccelerator fixture) => _accelerator = fixture.Accelerator;

    [Theory]
    [MemberData(nameof(ModelCatalog.Names), MemberType = typeof(ModelCatalog))]
    public void Forward_and_every_gradient_match_the_cpu_model_and_the_reference(string name)
    {
        (IStructuredModel model, Func<Accelerator, GpuModel> toAccelerator) = ModelCatalog.CreateRandomized(name);
        int n = model.InFeatures, m = model.OutFeatures;
        float[] x = LayerCatalog.Random(Batch * n, 1);
        float[] dy = LayerCatalog.Random(Batch * m, 2);

        var yCpu = new float[Batch * m];
        var dxCpu = new float[Batch * n];
        model.Forward(x, yCpu, Batch);
        model.ZeroGradients();
        model.Backward(x, dy, dxCpu, Batch);
        float[] gradientsCpu = model.Gradients.ToArray();

        float[] y, dx, gradients;
        using (GpuModel gpu = toAccelerator(_accelerator))
        using (MemoryBuffer1D<float, Stride1D.Dense> xd = _accelerator.Allocate1D(x))
        using (MemoryBuffer1D<float, Stride1D.Dense> dyd = _accelerator.Allocate1D(dy))
        using (MemoryBuffer1D<float, Stride1D.Dense> yd = _accelerator.Allocate1D<float>(Batch * m))
        using (MemoryBuffer1D<float, Stride1D.Dense> dxd = _accelerator.Allocate1D<float>(Batch * n))
        {
            yd.MemSet(0x7F);
            dxd.MemSet(0x7F);
            gpu.Forward(xd.View, yd.View, Batch);
            gpu.Backward(xd.View, dyd.View, dxd.View, Batch);
            y = yd.GetAsArray1D();
            dx = dxd.GetAsArray1D();
            gradients = new float[model.ParameterCount];
            gpu.DownloadGradients(gradients);
        }

        // Against the CPU model.
        GpuTolerance.Close(yCpu, y, 1e-4, $"{name} y vs CPU");
        GpuTolerance.Close(dxCpu, dx, 1e-4, $"{name} ∂x vs CPU");
        foreach (ParameterTensor tensor in model.Tensors)
        {
            GpuTolerance.Close(tensor.Slice(gradientsCpu), tensor.Slice(gradients), 1e-4, $"{name} ∂{tensor.Name} vs CPU");
        }

        // Against the double-precision reference.
        ReferenceStep[] steps = ModelCatalog.All[name].Steps;
        var tensors = new TensorSet(model.Tensors, model.Parameters);
        double[] xs = x.Select(v => (double)v).ToArray();
        GpuTolerance.Close(ModelReference.Forward(steps, tensors, xs, Batch), y, 1e-4, $"{name} y vs reference");

        var expectedDx = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            double keep = xs[i];
            xs[i] = keep + Step; double plus = Loss(steps, tensors, xs, dy);
            xs[i] = keep - Step; double minus = Loss(steps, tensors, xs, dy);
            xs[i] = keep;
            expectedDx[i] = (plus - minus) / (2 * Step);
        }
        GpuTolerance.Close(expectedDx, dx, 1e-4, $"{name} ∂x vs finite differences");

        var rng = new Random(5);
        foreach (ParameterTensor tensor in model.Tensors)
        {
            double[] values = tensors[tensor.Name];
            IEnumerable<int> coordinates = values.Length <= 16
                ? Enumerable.Range(0, values.Length)
                : Enumerable.Range(0, 16).Select(_ => rng.Next(values.Length)).Distinct();
            var expected = new List<double>();
            var actual = new List<float>();
            foreach (int c in coordinates)
            {
                double keep = values[c];
                values[c] = keep + Step; double plus = Loss(steps, tensors, xs, dy);
                values[c] = keep - Step; double minus = Loss(steps, tensors, xs, dy);
                values[c] = keep;
                expected.Add((plus - minus) / (2 * Step));
                actual.Add(gradients[tensor.Offset + c]);
            }
            GpuTolerance.Close(expected.ToArray(), actual.ToArray(), 1e-4, $"{name} ∂{tensor.Name} vs finite differences");
        }
    }

    [Fact]
    public void Gradients_accumulate_and_the_scratch_is_reused_across_calls()
    {
        (IStructuredModel model, Func<Accelerator, GpuModel> toAccelerator) = ModelCatalog.CreateRandomized(nameof(Models.GpuMlp));
        int n = model.InFeatures, m = model.OutFeatures;
        using GpuModel gpu = toAccelerator(_accelerator);
        using var x = _accelerator.Allocate1D(LayerCatalog.Random(5 * n, 3));
        using var dy = _accelerator.Allocate1D(LayerCatalog.Random(5 * m, 4));
        using var dx = _accelerator.Allocate1D<float>(5 * n);
        Assert.Same(model, gpu.Model);
        gpu.Backward(x.View, dy.View, dx.View, 5);
        var once = new float[model.ParameterCount];
        gpu.DownloadGradients(once);
        int capacity = gpu.ScratchCapacity;
        gpu.Backward(x.View, dy.View, dx.View, 5);
        gpu.DownloadGradients();
        Assert.Equal(capacity, gpu.ScratchCapacity);
        GpuTolerance.Close(once.Select(v => 2.0 * v).ToArray(), model.Gradients, 1e-6, "twice the gradients");
        gpu.ZeroGradients();
        gpu.DownloadGradients();
        Assert.All(model.Gradients.ToArray(), v => Assert.Equal(0f, v));
    }

    private static double Loss(ReferenceStep[] steps, TensorSet tensors, double[] x, float[] dy)
    {
        double[] y = ModelReference.Forward(steps, tensors, x, Batch);
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * dy[i];
        return sum;
    }
}
