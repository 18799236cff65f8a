using System;

namespace StructGen.Reliability.Tests;

/// <summary>Every entry point validates before touching memory; messages name the argument, expected and actual sizes.</summary>
public class ValidationTests
{
    [Theory]
    [MemberData(nameof(Catalog.Names), MemberType = typeof(Catalog))]
    public void Forward_rejects_wrong_lengths_negative_batch_and_overlap(string name)
    {
        IStructuredLinear layer = Catalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        var x = new float[3 * n];
        var y = new float[3 * m];

        var e1 = Assert.Throws<ArgumentException>(() => layer.Forward(x.AsSpan(1), y, 3));
        Assert.Equal("input", e1.ParamName);
        Assert.Contains((3 * n).ToString(), e1.Message);
        Assert.Contains((3 * n - 1).ToString(), e1.Message);

        var e2 = Assert.Throws<ArgumentException>(() => layer.Forward(x, new float[3 * m + 2], 3));
        Assert.Equal("output", e2.ParamName);
        Assert.Contains((3 * m).ToString(), e2.Message);
        Assert.Contains((3 * m + 2).ToString(), e2.Message);

        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(x, y, -1));
        Assert.Equal("batch", e3.ParamName);

        var shared = new float[(n + m) * 2];
        var e4 = Assert.Throws<ArgumentException>(() => layer.Forward(shared.AsSpan(0, n), shared.AsSpan(n / 2, m), 1));
        Assert.Contains("overlap", e4.Message);
    }

    [Theory]
    [MemberData(nameof(Catalog.Names), MemberType = typeof(Catalog))]
    public void Backward_and_ToDense_reject_wrong_lengths_and_leave_gradients_untouched(string name)
    {
        IStructuredLinear layer = Catalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        layer.Gradients.Fill(1f);
        var e1 = Assert.Throws<ArgumentException>(() => layer.Backward(new float[2 * n], new float[2 * m], new float[2 * n - 1], 2));
        Assert.Equal("inputGradient", e1.ParamName);
        var e2 = Assert.Throws<ArgumentException>(() => layer.Backward(new float[2 * n], new float[m], new float[2 * n], 2));
        Assert.Equal("outputGradient", e2.ParamName);
        Assert.All(layer.Gradients.ToArray(), g => Assert.Equal(1f, g));

        var e3 = Assert.Throws<ArgumentException>(() => layer.ToDense(new float[n * m - 1]));
        Assert.Equal("weight", e3.ParamName);
        Assert.Contains((n * m).ToString(), e3.Message);
    }

    [Fact]
    public void Batch_whose_size_overflows_int_is_rejected_not_wrapped()
    {
        IStructuredLinear layer = new MonarchLayer();
        // batch·In = 2^31 would wrap to a negative int; the check is done in 64 bits.
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new float[256], new float[512], int.MaxValue / 128));
        Assert.Equal("input", e.ParamName);
    }
}
