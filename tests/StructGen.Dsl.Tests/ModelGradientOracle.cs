using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Dsl.Tests.Oracle;

namespace StructGen.Dsl.Tests;

/// <summary>
/// Central finite differences of a model's double-precision step-by-step reference (<see cref="ModelCatalog.Reference"/>)
/// for <c>L = Σ dy ⊙ y</c>: the oracle of every model backward test.
/// </summary>
public static class ModelGradientOracle
{
    /// <summary>Small: activation kinks (relu) stay out of reach of the differences.</summary>
    private const double Step = 1e-5;

    /// <summary><c>∂L/∂x</c> for every input coordinate.</summary>
    public static double[] InputGradient(string name, IStructuredModel model, float[] x, float[] dy, int batch)
    {
        double[] xd = x.Select(v => (double)v).ToArray();
        var expected = new double[xd.Length];
        for (int i = 0; i < xd.Length; i++)
        {
            double keep = xd[i];
            xd[i] = keep + Step; double plus = Dot(ModelCatalog.Reference(name, model, xd, batch), dy);
            xd[i] = keep - Step; double minus = Dot(ModelCatalog.Reference(name, model, xd, batch), dy);
            xd[i] = keep;
            expected[i] = (plus - minus) / (2 * Step);
        }
        return expected;
    }

    /// <summary>
    /// Checks <paramref name="gradients"/> (laid out as the model's parameters) at the coordinates
    /// <paramref name="coordinates"/> picks for each tensor (from its length and a generator seeded once).
    /// </summary>
    public static void CheckParameterGradients(string name, IStructuredModel model, float[] x, float[] dy, int batch, float[] gradients,
        Func<int, Random, IEnumerable<int>> coordinates, int seed, string what)
    {
        double[] xd = x.Select(v => (double)v).ToArray();
        var tensors = new TensorSet(model.Tensors, model.Parameters);
        ReferenceStep[] steps = ModelCatalog.All[name].Steps;
        var rng = new Random(seed);
        foreach (ParameterTensor tensor in model.Tensors)
        {
            double[] values = tensors[tensor.Name];
            var expected = new List<double>();
            var actual = new List<float>();
            foreach (int c in coordinates(values.Length, rng))
            {
                double keep = values[c];
                values[c] = keep + Step; double plus = Dot(ModelReference.Forward(steps, tensors, xd, batch), dy);
                values[c] = keep - Step; double minus = Dot(ModelReference.Forward(steps, tensors, xd, batch), dy);
                values[c] = keep;
                expected.Add((plus - minus) / (2 * Step));
                actual.Add(gradients[tensor.Offset + c]);
            }
            Tolerance.Close(expected.ToArray(), actual.ToArray(), 1e-3, $"{what} ∂{tensor.Name}");
        }
    }

    private static double Dot(double[] y, float[] dy)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * dy[i];
        return sum;
    }
}
