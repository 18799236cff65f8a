using System;

namespace StructGen.Dsl.Tests.Oracle;

/// <summary>A dense row-major matrix in double precision.</summary>
public sealed class Matrix
{
    public Matrix(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
        Data = new double[rows * columns];
    }

    public int Rows { get; }

    public int Columns { get; }

    public double[] Data { get; }

    public double this[int row, int column]
    {
        get => Data[row * Columns + column];
        set => Data[row * Columns + column] = value;
    }

    /// <summary><c>a·b</c>.</summary>
    public static Matrix Product(Matrix a, Matrix b)
    {
        Assert.Equal(a.Columns, b.Rows);
        var c = new Matrix(a.Rows, b.Columns);
        for (int i = 0; i < a.Rows; i++)
        for (int k = 0; k < a.Columns; k++)
        {
            double v = a[i, k];
            if (v == 0) continue;
            for (int j = 0; j < b.Columns; j++) c.Data[i * c.Columns + j] += v * b.Data[k * b.Columns + j];
        }
        return c;
    }

    /// <summary><c>Σ terms</c>, all of one shape.</summary>
    public static Matrix Sum(params Matrix[] terms)
    {
        var sum = new Matrix(terms[0].Rows, terms[0].Columns);
        foreach (Matrix t in terms)
        {
            Assert.Equal((sum.Rows, sum.Columns), (t.Rows, t.Columns));
            for (int i = 0; i < sum.Data.Length; i++) sum.Data[i] += t.Data[i];
        }
        return sum;
    }

    /// <summary><c>scale·m</c>.</summary>
    public static Matrix Scale(Matrix m, double scale)
    {
        var r = new Matrix(m.Rows, m.Columns);
        for (int i = 0; i < r.Data.Length; i++) r.Data[i] = scale * m.Data[i];
        return r;
    }

    /// <summary><c>y = x·Wᵀ + bias</c> for <paramref name="batch"/> rows (W is [Out, In]).</summary>
    public double[] Apply(ReadOnlySpan<double> x, int batch, double[]? bias = null)
    {
        int n = Columns, m = Rows;
        var y = new double[batch * m];
        for (int b = 0; b < batch; b++)
        for (int o = 0; o < m; o++)
        {
            double sum = bias?[o] ?? 0;
            for (int i = 0; i < n; i++) sum += x[b * n + i] * Data[o * n + i];
            y[b * m + o] = sum;
        }
        return y;
    }
}
