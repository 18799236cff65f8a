using System;

namespace StructGen.Training.Tests;

/// <summary>AdamW's update rule against values worked out by hand and a double-precision reference.</summary>
public class AdamWTests
{
    [Fact]
    public void First_step_moves_by_the_learning_rate_after_decoupled_decay()
    {
        float[] p = [1f, 1f], g = [0.5f, -3f];
        var adam = new AdamW(new ParameterSet().Add("p", p, g), learningRate: 0.1, weightDecay: 0.1);
        adam.Step();
        // θ·(1 − 0.1·0.1) = 0.99, then m̂/√v̂ = g/|g| = ±1 → ∓0.1.
        Assert.Equal(0.89, p[0], 5);
        Assert.Equal(1.09, p[1], 5);
    }

    [Fact]
    public void Second_step_uses_bias_corrected_moments()
    {
        float[] p = [1f], g = [0.5f];
        var adam = new AdamW(new ParameterSet().Add("p", p, g), learningRate: 0.1, weightDecay: 0.1);
        adam.Step();
        g[0] = -0.25f;
        adam.Step();
        // θ = 0.89·0.99 = 0.8811; m = 0.9·0.05 − 0.1·0.25 = 0.02; v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225;
        // m̂ = 0.02/0.19, v̂ = 0.00031225/0.001999 → θ − 0.1·m̂/√v̂ = 0.8811 − 0.0266336 = 0.8544664.
        Assert.Equal(0.8544664, p[0], 5);
    }

    [Fact]
    public void Zero_gradient_leaves_only_the_decay()
    {
        float[] p = [2f], g = [0f];
        new AdamW(new ParameterSet().Add("p", p, g), learningRate: 0.01, weightDecay: 0.5).Step();
        Assert.Equal(2 * (1 - 0.005), p[0], 6);
    }

    [Theory]
    [InlineData(0.9, 0.999, 1e-8, 0.0)]
    [InlineData(0.8, 0.99, 1e-3, 0.05)]
    [InlineData(0.0, 0.9, 1e-6, 0.01)]
    public void Matches_a_double_reference_over_many_steps(double beta1, double beta2, double epsilon, double weightDecay)
    {
        const int n = 45; // vector body and scalar tail
        const double lr = 0.01;
        var rng = new Random(3);
        float[] p = new float[n], g = new float[n];
        double[] pd = new double[n], m = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) pd[i] = p[i] = (float)(rng.NextDouble() * 2 - 1);
        var adam = new AdamW(new ParameterSet().Add("p", p, g), lr, beta1, beta2, epsilon, weightDecay);
        for (int t = 1; t <= 30; t++)
        {
            for (int i = 0; i < n; i++) g[i] = (float)(rng.NextDouble() * 2 - 1);
            adam.Step();
            for (int i = 0; i < n; i++)
            {
                pd[i] *= 1 - lr * weightDecay;
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                pd[i] -= lr * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }
        Assert.Equal(30, adam.StepCount);
        for (int i = 0; i < n; i++) Assert.Equal(pd[i], p[i], 4);
    }

    [Fact]
    public void Learning_rate_can_change_between_steps()
    {
        float[] p = [1f], g = [1f];
        var adam = new AdamW(new ParameterSet().Add("p", p, g), learningRate: 0.1, weightDecay: 0);
        adam.Step();
        adam.LearningRate = 0.01;
        adam.Step();
        Assert.Equal(1 - 0.1 - 0.01, p[0], 5); // constant gradient: m̂/√v̂ = 1 every step
    }

    [Fact]
    public void Rejects_invalid_hyper_parameters()
    {
        var set = new ParameterSet().Add("p", new float[1], new float[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(set, learningRate: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(set, beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(set, beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(set, epsilon: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(set, weightDecay: -0.1));
    }
}
