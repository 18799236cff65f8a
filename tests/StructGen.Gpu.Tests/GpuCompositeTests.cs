using System;
using System.Collections.Generic;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using StructGen.Dsl.Tests.Oracle;
using GpuTolerance = StructGen.Gpu.Tests.Oracle.Tolerance;

namespace StructGen.Gpu.Tests;

/// <summary>
/// DSL layers (sums, adapters, chains, nested) on ILGPU's CPU accelerator: the forward output, the input gradient
/// and every parameter gradient (bias included) equal the CPU SIMD path, the dense weight rebuilt in double
/// precision by the composition rules, and central finite differences of <c>L = Σ dy ⊙ y</c> on that oracle.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public class GpuCompositeTests
{
    /// <summary>One full 16-row tile and a partial one.</summary>
    private const int Batch = 17;
    private const double Step = 1e-3;

    private readonly Accelerator _accelerator;

    public GpuCompositeTests(CpuAccelerator fixture) => _accelerator = fixture.Accelerator;

    [Theory]
    [MemberData(nameof(CompositeCatalog.Names), MemberType = typeof(CompositeCatalog))]
    public void Forward_and_every_gradient_match_the_cpu_path_and_the_oracles(string name)
    {
        (IStructuredLinear layer, Func<Accelerator, GpuLayer> toAccelerator) = CompositeCatalog.CreateRandomized(name);
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

        // The ILGPU kernels, with garbage in the output and input gradient (both must be overwritten, not added to).
        float[] y, dx, gradients;
        using (GpuLayer gpu = toAccelerator(_accelerator))
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
            gradients = new float[layer.ParameterCount];
            gpu.DownloadGradients(gradients);
        }

        // Against the CPU path: same math, different summation order.
        GpuTolerance.Close(yCpu, y, 1e-4, $"{name} y vs CPU");
        GpuTolerance.Close(dxCpu, dx, 1e-4, $"{name} ∂x vs CPU");
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            GpuTolerance.Close(tensor.Slice(gradientsCpu), tensor.Slice(gradients), 1e-4, $"{name} ∂{tensor.Name} vs CPU");
        }

        // Against the dense oracle, in double precision.
        var tensors = new TensorSet(layer.Tensors, layer.Parameters);
        Func<TensorSet, Matrix> weight = CompositeCatalog.All[name].Weight;
        double[]? bias = tensors.Contains("bias") ? tensors["bias"] : null;
        double[] xs = x.Select(v => (double)v).ToArray();
        Matrix w = weight(tensors);
        GpuTolerance.Close(w.Apply(xs, Batch, bias), y, 1e-4, $"{name} y vs dense");
        GpuTolerance.Close(InputGradient(w, dy), dx, 1e-4, $"{name} ∂x vs dense");

        // Every parameter tensor against central finite differences of the oracle (sampled coordinates).
        var rng = new Random(5);
        foreach (ParameterTensor tensor in layer.Tensors)
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
                values[c] = keep + Step; double plus = Loss(weight, tensors, xs, dy);
                values[c] = keep - Step; double minus = Loss(weight, tensors, xs, dy);
                values[c] = keep;
                expected.Add((plus - minus) / (2 * Step));
                actual.Add(gradients[tensor.Offset + c]);
            }
            GpuTolerance.Close(expected.ToArray(), actual.ToArray(), 1e-4, $"{name} ∂{tensor.Name} vs finite differences");
        }
    }

    /// <summary>dx = dy·W.</summary>
    private static double[] InputGradient(Matrix w, float[] dy)
    {
        int n = w.Columns, m = w.Rows;
        var dx = new double[Batch * n];
        for (int b = 0; b < Batch; b++)
        for (int o = 0; o < m; o++)
        for (int i = 0; i < n; i++)
            dx[b * n + i] += dy[b * m + o] * w[o, i];
        return dx;
    }

    /// <summary>L = Σ dy ⊙ (x·Wᵀ + bias), whose gradient Backward computes.</summary>
    private static double Loss(Func<TensorSet, Matrix> weight, TensorSet tensors, double[] x, float[] dy)
    {
        double[] y = weight(tensors).Apply(x, Batch, tensors.Contains("bias") ? tensors["bias"] : null);
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * dy[i];
        return sum;
    }
}
