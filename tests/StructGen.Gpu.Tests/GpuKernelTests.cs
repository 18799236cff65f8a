using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using StructGen.Gpu;
using StructGen.Gpu.Tests.Oracle;

namespace StructGen.Gpu.Tests;

/// <summary>
/// Every structure's ILGPU kernels on ILGPU's CPU accelerator: the forward output, the input gradient and
/// every parameter gradient (bias included) equal the CPU SIMD path, the dense oracle (W rebuilt from the
/// named tensors) and central finite differences of <c>L = Σ dy ⊙ y</c>.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public class GpuKernelTests
{
    /// <summary>17 rows: one full 16-row tile and a partial one, and a batch reduction that crosses a K-slice.</summary>
    private const int Batch = 17;
    private const double Step = 1e-3;

    private readonly Accelerator _accelerator;

    public GpuKernelTests(CpuAccelerator fixture) => _accelerator = fixture.Accelerator;

    [Theory]
    [MemberData(nameof(LayerCatalog.Names), MemberType = typeof(LayerCatalog))]
    public void Forward_and_every_gradient_match_the_cpu_path_and_the_oracles(string name)
    {
        (IStructuredLinear layer, Func<Accelerator, GpuLayer> toAccelerator) = LayerCatalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        float[] x = LayerCatalog.Random(Batch * n, 1);
        float[] dy = LayerCatalog.Random(Batch * m, 2);

        // The CPU SIMD path.
        var yCpu = new float[Batch * m];
        var dxCpu = new float[Batch * n];
        layer.Forward(x, yCpu, Batch);
        layer.ZeroGradients();
        layer.Backward(x, dy, dxCpu, Batch);
        float[] gradientsCpu = layer.Gradients.ToArray();

        // The ILGPU kernels.
        float[] y, dx, gradients;
        using (GpuLayer gpu = toAccelerator(_accelerator))
        using (MemoryBuffer1D<float, Stride1D.Dense> xd = _accelerator.Allocate1D(x))
        using (MemoryBuffer1D<float, Stride1D.Dense> dyd = _accelerator.Allocate1D(dy))
        using (MemoryBuffer1D<float, Stride1D.Dense> yd = _accelerator.Allocate1D<float>(Batch * m))
        using (MemoryBuffer1D<float, Stride1D.Dense> dxd = _accelerator.Allocate1D<float>(Batch * n))
        {
            dxd.MemSet(0x7F); // garbage: Backward must overwrite the input gradient
            gpu.Forward(xd.View, yd.View, Batch);
            gpu.Backward(xd.View, dyd.View, dxd.View, Batch);
            y = yd.GetAsArray1D();
            dx = dxd.GetAsArray1D();
            gradients = new float[layer.ParameterCount];
            gpu.DownloadGradients(gradients);
        }

        // Against the CPU path: same math, different summation order.
        Tolerance.Close(yCpu, y, 1e-5, $"{name} y vs CPU");
        Tolerance.Close(dxCpu, dx, 1e-5, $"{name} ∂x vs CPU");
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            Tolerance.Close(tensor.Slice(gradientsCpu), tensor.Slice(gradients), 1e-5, $"{name} ∂{tensor.Name} vs CPU");
        }

        // Against the dense oracle.
        Dictionary<string, double[]> tensors = DenseWeight.Tensors(layer);
        double[] w = DenseWeight.Build(layer, tensors);
        tensors.TryGetValue("bias", out double[]? bias);
        Tolerance.Close(DenseWeight.Forward(layer, w, bias, x, Batch), y, 1e-5, $"{name} y vs dense");
        Tolerance.Close(DenseWeight.InputGradient(layer, w, dy, Batch), dx, 1e-5, $"{name} ∂x vs dense");

        // Every parameter tensor against finite differences (L is linear in each tensor: the differences are exact up to rounding).
        var rng = new Random(5);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            double[] values = tensors[tensor.Name];
            IEnumerable<int> coordinates = values.Length <= 24
                ? Enumerable.Range(0, values.Length)
                : Enumerable.Range(0, 24).Select(_ => rng.Next(values.Length)).Distinct();
            var expected = new List<double>();
            var actual = new List<float>();
            foreach (int c in coordinates)
            {
                double keep = values[c];
                values[c] = keep + Step; double plus = DenseWeight.Loss(layer, tensors, x, dy, Batch);
                values[c] = keep - Step; double minus = DenseWeight.Loss(layer, tensors, x, dy, Batch);
                values[c] = keep;
                expected.Add((plus - minus) / (2 * Step));
                actual.Add(gradients[tensor.Offset + c]);
            }
            Tolerance.Close(expected.ToArray(), actual.ToArray(), 1e-4, $"{name} ∂{tensor.Name} vs finite differences");
        }
    }
}
