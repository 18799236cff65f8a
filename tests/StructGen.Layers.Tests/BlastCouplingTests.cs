using System;
using StructGen.Kernels;

namespace StructGen.Layers.Tests;

/// <summary>
/// BLAST's coupling backward (<see cref="BlastCoupling.Backward"/>) against its definition in double precision:
/// <c>∂D[i, j, r] += Σ_b dh[b, i·R + r]·z[b, j·R + r]</c> (added to what ∂D held) and
/// <c>dz[b, j·R + r] = Σ_i D[i, j, r]·dh[b, i·R + r]</c>, for ranks that take the Vector512 eight-row blocks (a multiple
/// of 16), only the Vector256 ones (a multiple of 8) or scalar tails, and row counts with every kind of leftover.
/// </summary>
public class BlastCouplingTests
{
    [Theory]
    [InlineData(3, 4, 32, 13)]  // Vector512 blocks of 8 rows, then a Vector256 block of 4, then one row
    [InlineData(4, 3, 16, 8)]   // exactly one block of 8 rows
    [InlineData(2, 5, 48, 7)]   // fewer rows than a block of 8
    [InlineData(3, 2, 24, 11)]  // a rank of 8-lane vectors only
    [InlineData(2, 3, 20, 9)]   // rank tails past the last vector
    public void The_backward_equals_its_definition(int rowBlocks, int columnBlocks, int rank, int rows)
    {
        int ldh = rowBlocks * rank, ldz = columnBlocks * rank;
        float[] z = LayerCatalog.Random(rows * ldz, 51);
        float[] dh = LayerCatalog.Random(rows * ldh, 52);
        float[] d = LayerCatalog.Random(rowBlocks * columnBlocks * rank, 53);
        float[] dGradient = LayerCatalog.Random(d.Length, 54);
        float[] before = (float[])dGradient.Clone();
        float[] dz = new float[rows * ldz];
        dz.AsSpan().Fill(float.NaN);

        BlastCoupling.Backward(ref z[0], ref dh[0], ref d[0], ref dGradient[0], ref dz[0], rowBlocks, columnBlocks, rank, rows);

        for (int i = 0; i < rowBlocks; i++)
        {
            for (int j = 0; j < columnBlocks; j++)
            {
                for (int r = 0; r < rank; r++)
                {
                    int at = (i * columnBlocks + j) * rank + r;
                    double expected = before[at];
                    for (int b = 0; b < rows; b++)
                    {
                        expected += (double)dh[b * ldh + i * rank + r] * z[b * ldz + j * rank + r];
                    }
                    Assert.True(Math.Abs(expected - dGradient[at]) <= 1e-5 * (1 + Math.Abs(expected)), $"∂D[{i}, {j}, {r}]: {dGradient[at]} vs {expected}");
                }
            }
        }
        for (int b = 0; b < rows; b++)
        {
            for (int j = 0; j < columnBlocks; j++)
            {
                for (int r = 0; r < rank; r++)
                {
                    double expected = 0;
                    for (int i = 0; i < rowBlocks; i++)
                    {
                        expected += (double)d[(i * columnBlocks + j) * rank + r] * dh[b * ldh + i * rank + r];
                    }
                    float actual = dz[b * ldz + j * rank + r];
                    Assert.True(Math.Abs(expected - actual) <= 1e-5 * (1 + Math.Abs(expected)), $"dz[{b}, {j}·R + {r}]: {actual} vs {expected}");
                }
            }
        }
    }
}
