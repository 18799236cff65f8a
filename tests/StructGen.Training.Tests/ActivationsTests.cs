using System;
using System.Linq;

namespace StructGen.Training.Tests;

/// <summary>Activations: known values and backward vs finite differences of a double-precision forward.</summary>
public class ActivationsTests
{
    private static readonly float[] s_inputs = [-6f, -3.5f, -1.2f, -0.3f, -1e-3f, 0.25f, 0.9f, 1.7f, 2.5f, 4f, 7f, -0.75f, 0.05f, 3.1f, -2.2f, 1.05f, -4.4f];

    [Fact]
    public void Known_values()
    {
        float[] x = [-1f, 0f, 1f, 2f];
        var y = new float[4];
        Activations.Relu(x, y);
        Assert.Equal([0f, 0f, 1f, 2f], y);
        Activations.Gelu(x, y);
        Assert.Equal(-0.15865525, y[0], 6); // x·Φ(x), torch.nn.GELU()
        Assert.Equal(0.0, y[1], 6);
        Assert.Equal(0.84134475, y[2], 6);
        Assert.Equal(1.95449974, y[3], 6);
        Activations.GeluTanh(x, y);
        Assert.Equal(0.84119199, y[2], 5);  // torch.nn.GELU(approximate='tanh')(1.0)
        Activations.Tanh(x, y);
        Assert.Equal(Math.Tanh(2), y[3], 6);
        Activations.Sigmoid(x, y);
        Assert.Equal(1 / (1 + Math.Exp(1)), y[0], 6);
    }

    [Theory]
    [InlineData(ActivationFunction.Relu)]
    [InlineData(ActivationFunction.Gelu)]
    [InlineData(ActivationFunction.GeluTanh)]
    [InlineData(ActivationFunction.Tanh)]
    [InlineData(ActivationFunction.Sigmoid)]
    public void Backward_matches_finite_differences(ActivationFunction function)
    {
        float[] x = s_inputs;
        var y = new float[x.Length];
        Activations.Forward(function, x, y);
        var rng = new Random(2);
        float[] dy = x.Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var dx = new float[x.Length];
        Activations.Backward(function, x, y, dy, dx);
        const double h = 1e-4;
        for (int i = 0; i < x.Length; i++)
        {
            double slope = (Reference(function, x[i] + h) - Reference(function, x[i] - h)) / (2 * h);
            Assert.Equal(slope * dy[i], dx[i], 4);
            Assert.Equal(Reference(function, x[i]), y[i], 5);
        }
    }

    [Theory]
    [InlineData(ActivationFunction.Relu)]
    [InlineData(ActivationFunction.Gelu)]
    [InlineData(ActivationFunction.Tanh)]
    public void Forward_and_backward_work_in_place(ActivationFunction function)
    {
        float[] x = s_inputs.ToArray();
        var y = new float[x.Length];
        Activations.Forward(function, x, y);
        float[] dy = Enumerable.Repeat(0.5f, x.Length).ToArray();
        var dx = new float[x.Length];
        Activations.Backward(function, x, y, dy, dx);

        float[] buffer = x.ToArray();
        Activations.Forward(function, buffer, buffer);
        Assert.Equal(y, buffer);
        Activations.Backward(function, x, y, dy, dy);
        Assert.Equal(dx, dy);
    }

    [Fact]
    public void Exact_and_tanh_gelu_agree_closely()
    {
        float[] x = Enumerable.Range(-400, 801).Select(i => i / 50f).ToArray();
        var exact = new float[x.Length];
        var approximate = new float[x.Length];
        Activations.Gelu(x, exact);
        Activations.GeluTanh(x, approximate);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(exact[i] - approximate[i]) < 1e-3, $"x = {x[i]}");
    }

    [Fact]
    public void Mismatched_lengths_throw()
    {
        Assert.Throws<ArgumentException>(() => Activations.Relu(new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => Activations.ReluBackward(new float[3], new float[3], new float[2]));
    }

    private static double Reference(ActivationFunction function, double x) => function switch
    {
        ActivationFunction.Relu => Math.Max(x, 0),
        ActivationFunction.Gelu => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        ActivationFunction.GeluTanh => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
        ActivationFunction.Tanh => Math.Tanh(x),
        _ => 1 / (1 + Math.Exp(-x)),
    };

    /// <summary>
    /// erf independent of the implementation under test: Maclaurin series for |x| &lt; 2, the continued
    /// fraction of erfc beyond (both accurate to ~1e-14 there).
    /// </summary>
    private static double Erf(double x)
    {
        double z = Math.Abs(x);
        if (z < 2)
        {
            double sum = 0, term = x;
            for (int n = 0; n < 60; n++)
            {
                sum += term / (2 * n + 1);
                term *= -x * x / (n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        double fraction = z;
        for (int k = 120; k >= 1; k--) fraction = z + k / 2.0 / fraction;
        double erfc = Math.Exp(-z * z) / Math.Sqrt(Math.PI) / fraction;
        return Math.Sign(x) * (1 - erfc);
    }
}
