using System;

namespace StructGen.Reliability.Tests;

/// <summary>NaN and infinity propagate as IEEE arithmetic does: no exception, no hang, other rows untouched.</summary>
public class IeeeTests
{
    [Theory]
    [MemberData(nameof(Catalog.Names), MemberType = typeof(Catalog))]
    public void NaN_and_infinity_in_one_row_propagate_into_that_row_only(string name)
    {
        IStructuredLinear layer = Catalog.Create(name);
        int n = layer.InFeatures, m = layer.OutFeatures;
        const int batch = 6;
        float[] x = Catalog.Random(batch * n, 3);
        var clean = new float[batch * m];
        layer.Forward(x, clean, batch);

        x[1 * n + 0] = float.NaN;
        x[4 * n + n - 1] = float.PositiveInfinity;
        var y = new float[batch * m];
        layer.Forward(x, y, batch);

        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> row = y.AsSpan(b * m, m);
            if (b == 1)
            {
                Assert.Contains(float.NaN, row.ToArray());
            }
            else if (b == 4)
            {
                // +∞ times the weights reaching it gives ±∞ (or NaN where +∞ and −∞ meet): never a finite value there.
                Assert.True(Array.Exists(row.ToArray(), v => !float.IsFinite(v)), "the infinite input reached no output");
            }
            else
            {
                Assert.True(row.SequenceEqual(clean.AsSpan(b * m, m)), $"row {b} changed");
            }
        }

        // Backward with NaN gradients: no exception; gradients become NaN, not an exception or hang.
        var dy = new float[batch * m];
        dy[0] = float.NaN;
        layer.Backward(x, dy, new float[batch * n], batch);
        Assert.Contains(float.NaN, layer.Gradients.ToArray());
    }
}
