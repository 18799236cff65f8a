using System;

namespace StructGen.Projection;

/// <summary>The argument checks shared by the factorizations that take a row-major matrix and its sizes.</summary>
internal static class MatrixArguments
{
    /// <summary>Throws unless <paramref name="rows"/> and <paramref name="columns"/> are positive and <paramref name="matrix"/> holds exactly <c>rows·columns</c> finite values.</summary>
    public static void Check(ReadOnlySpan<double> matrix, int rows, int columns, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        long expected = (long)rows * columns;
        if (matrix.Length != expected)
        {
            throw new ArgumentException(
                $"{name} must hold rows·columns = {rows}·{columns} = {expected} values ([rows, columns], row-major) but has {matrix.Length}.",
                name);
        }
        for (int i = 0; i < matrix.Length; i++)
        {
            if (!double.IsFinite(matrix[i]))
            {
                throw new ArgumentException($"{name}[{i}] (row {i / columns}, column {i % columns}) is {matrix[i]}; the factorizations need finite values.", name);
            }
        }
    }
}
