using System;
using StructGen.Projection.Tests.Oracle;

namespace StructGen.Projection.Tests;

public sealed class KroneckerProjectionTests
{
    [Theory]
    [InlineData(2, 3, 4, 5)]
    [InlineData(3, 3, 3, 3)]
    [InlineData(1, 4, 5, 1)]
    [InlineData(12, 12, 12, 12)] // rearranged 144 × 144: the randomized path
    public void A_Kronecker_product_is_recovered(int out1, int in1, int out2, int in2)
    {
        float[] a = TestMatrices.Uniform(out1 * in1, seed: 1);
        float[] b = TestMatrices.Uniform(out2 * in2, seed: 2);
        float[] w = TestMatrices.ToSingle(StructureFormulas.Kronecker(a, b, out1, in1, out2, in2));

        ProjectedStructure result = KroneckerProjection.Project(w, out1 * out2, in1 * in2, out1, in1, out2, in2);

        Assert.Equal($"kronecker({out1}x{in1}, {out2}x{in2})", result.Description);
        Assert.Equal([out1, in1], result["w1"].Shape);
        Assert.Equal([out2, in2], result["w2"].Shape);
        double[] rebuilt = StructureFormulas.Kronecker(result["w1"].Data, result["w2"].Data, out1, in1, out2, in2);
        Assert.True(Frobenius.RelativeError(w, rebuilt) < 1e-5, $"error {Frobenius.RelativeError(w, rebuilt)}");

        // The factors themselves are recovered up to the scale that moves between them.
        double scale = Frobenius.Norm(result["w1"].Data) / Frobenius.Norm(a);
        int largest = 0;
        for (int i = 0; i < a.Length; i++)
        {
            largest = Math.Abs(a[i]) > Math.Abs(a[largest]) ? i : largest;
        }
        double sign = Math.Sign(result["w1"].Data[largest]) * Math.Sign(a[largest]);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(sign * scale * a[i], result["w1"].Data[i], 1e-5);
        }
    }

    [Fact]
    public void The_largest_entry_of_w1_is_positive()
    {
        float[] a = [0.1f, -3f, 0.2f, 0.4f];
        float[] b = [1f, 2f, 3f, 4f, 5f, 6f];
        float[] w = TestMatrices.ToSingle(StructureFormulas.Kronecker(a, b, 2, 2, 2, 3));

        ProjectedStructure result = KroneckerProjection.Project(w, 4, 6, 2, 2, 2, 3);

        Assert.True(result["w1"].Data[1] > 0);
        Assert.True(result["w2"].Data[0] < 0);
    }

    [Fact]
    public void The_projection_is_a_local_minimum_of_the_error()
    {
        int out1 = 3, in1 = 2, out2 = 4, in2 = 3;
        float[] w = TestMatrices.Uniform(out1 * out2 * in1 * in2, seed: 9);
        ProjectedStructure result = KroneckerProjection.Project(w, out1 * out2, in1 * in2, out1, in1, out2, in2);
        double best = Frobenius.Distance(w, StructureFormulas.Kronecker(result["w1"].Data, result["w2"].Data, out1, in1, out2, in2));

        var random = new Random(3);
        for (int trial = 0; trial < 40; trial++)
        {
            float[] w1 = (float[])result["w1"].Data.Clone();
            float[] w2 = (float[])result["w2"].Data.Clone();
            double step = trial % 2 == 0 ? 1e-2 : -1e-2;
            w1[random.Next(w1.Length)] += (float)step;
            w2[random.Next(w2.Length)] += (float)(step * random.NextDouble());
            double moved = Frobenius.Distance(w, StructureFormulas.Kronecker(w1, w2, out1, in1, out2, in2));
            Assert.True(moved >= best - 1e-6, $"trial {trial}: {moved} < {best}");
        }
    }

    [Fact]
    public void Error_of_a_noisy_product_is_at_most_the_noise()
    {
        float[] a = TestMatrices.Uniform(4 * 4, seed: 1);
        float[] b = TestMatrices.Uniform(4 * 4, seed: 2);
        double[] clean = StructureFormulas.Kronecker(a, b, 4, 4, 4, 4);
        float[] noise = TestMatrices.Uniform(clean.Length, seed: 3);
        var w = new float[clean.Length];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)(clean[i] + 0.01 * noise[i]);
        }

        ProjectedStructure result = KroneckerProjection.Project(w, 16, 16, 4, 4, 4, 4);

        double distance = Frobenius.Distance(w, StructureFormulas.Kronecker(result["w1"].Data, result["w2"].Data, 4, 4, 4, 4));
        Assert.True(distance <= 0.01 * Frobenius.Norm(noise) + 1e-5, $"{distance} > noise {0.01 * Frobenius.Norm(noise)}");
    }

    [Fact]
    public void Factor_shapes_must_multiply_to_the_weight_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => KroneckerProjection.Project(new float[12], 4, 3, 2, 3, 3, 1));
        Assert.Equal("out2", error.ParamName);
        Assert.Contains("2·3 = 6", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => KroneckerProjection.Project(new float[12], 4, 3, 2, 2, 2, 2));
        Assert.Equal("in2", error.ParamName);
    }
}
