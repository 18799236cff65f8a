using System;

namespace StructGen.Training.Tests;

/// <summary>SGD's update rules against values worked out by hand and a double-precision reference.</summary>
public class SgdTests
{
    [Fact]
    public void Plain_step_is_theta_minus_lr_times_gradient()
    {
        float[] p = [1f, -2f], g = [0.5f, 0.25f];
        var sgd = new Sgd(new ParameterSet().Add("p", p, g), learningRate: 0.1);
        sgd.Step();
        Assert.Equal(0.95, p[0], 6);     // 1 − 0.1·0.5
        Assert.Equal(-2.025, p[1], 6);   // −2 − 0.1·0.25
        Assert.Equal(1, sgd.StepCount);
    }

    [Fact]
    public void Weight_decay_is_added_to_the_gradient()
    {
        float[] p = [1f], g = [0.5f];
        new Sgd(new ParameterSet().Add("p", p, g), learningRate: 0.1, weightDecay: 0.1).Step();
        Assert.Equal(0.94, p[0], 6);     // 1 − 0.1·(0.5 + 0.1·1)
    }

    [Fact]
    public void Momentum_starts_at_the_first_gradient()
    {
        float[] p = [1f], g = [0.5f];
        var sgd = new Sgd(new ParameterSet().Add("p", p, g), learningRate: 0.1, momentum: 0.9);
        sgd.Step();
        Assert.Equal(0.95, p[0], 6);     // b = 0.5
        sgd.Step();
        Assert.Equal(0.855, p[0], 6);    // b = 0.9·0.5 + 0.5 = 0.95
    }

    [Fact]
    public void Nesterov_steps_along_gradient_plus_momentum()
    {
        float[] p = [1f], g = [0.5f];
        var sgd = new Sgd(new ParameterSet().Add("p", p, g), learningRate: 0.1, momentum: 0.9, nesterov: true);
        sgd.Step();
        Assert.Equal(0.905, p[0], 6);    // b = 0.5; step 0.5 + 0.9·0.5 = 0.95
        sgd.Step();
        Assert.Equal(0.7695, p[0], 6);   // b = 0.95; step 0.5 + 0.9·0.95 = 1.355
    }

    [Fact]
    public void Dampening_scales_later_gradients_only()
    {
        float[] p = [1f], g = [0.5f];
        var sgd = new Sgd(new ParameterSet().Add("p", p, g), learningRate: 0.1, momentum: 0.9, dampening: 0.5);
        sgd.Step();
        Assert.Equal(0.95, p[0], 6);     // b = 0.5 (no dampening on the first step)
        sgd.Step();
        Assert.Equal(0.88, p[0], 6);     // b = 0.9·0.5 + 0.5·0.5 = 0.7
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.9, false, 0.01)]
    [InlineData(0.8, true, 0.05)]
    public void Matches_a_double_reference_over_many_steps(double momentum, bool nesterov, double weightDecay)
    {
        const int n = 37; // not a multiple of any vector width: the scalar tail runs too
        const double lr = 0.05;
        var rng = new Random(11);
        float[] p = new float[n], g = new float[n];
        double[] pd = new double[n], buffer = new double[n];
        for (int i = 0; i < n; i++) pd[i] = p[i] = (float)(rng.NextDouble() * 2 - 1);
        var sgd = new Sgd(new ParameterSet().Add("p", p, g), lr, momentum, nesterov, weightDecay);
        for (int step = 0; step < 20; step++)
        {
            for (int i = 0; i < n; i++) g[i] = (float)(rng.NextDouble() * 2 - 1);
            sgd.Step();
            for (int i = 0; i < n; i++)
            {
                double d = g[i] + weightDecay * pd[i];
                if (momentum != 0)
                {
                    buffer[i] = step == 0 ? d : momentum * buffer[i] + d;
                    d = nesterov ? d + momentum * buffer[i] : buffer[i];
                }
                pd[i] -= lr * d;
            }
        }
        for (int i = 0; i < n; i++) Assert.Equal(pd[i], p[i], 4);
    }

    [Fact]
    public void Reset_restarts_the_momentum()
    {
        float[] p = [1f], g = [0.5f];
        var sgd = new Sgd(new ParameterSet().Add("p", p, g), learningRate: 0.1, momentum: 0.9);
        sgd.Step();
        sgd.Reset();
        Assert.Equal(0, sgd.StepCount);
        sgd.Step();
        Assert.Equal(0.9, p[0], 6);      // the buffer restarts at g: 0.95 − 0.05
    }

    [Fact]
    public void Rejects_invalid_hyper_parameters()
    {
        var set = new ParameterSet().Add("p", new float[1], new float[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(set, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(set, 0.1, momentum: 1));
        Assert.Throws<ArgumentException>(() => new Sgd(set, 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(set, 0.1, momentum: 0.9, nesterov: true, dampening: 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(set, 0.1, weightDecay: -1));
    }
}
