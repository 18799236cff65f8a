using System;

namespace StructGen.Projection;

/// <summary>
/// A (possibly truncated) singular value decomposition <c>M ≈ Σ_t Values[t]·u_t·v_tᵀ</c> of a
/// <c>[Rows, Columns]</c> matrix, components sorted by decreasing singular value.
/// </summary>
/// <remarks>
/// Each singular vector is stored contiguously: <see cref="LeftVector"/> has <see cref="Rows"/> values,
/// <see cref="RightVector"/> has <see cref="Columns"/>. The left vectors are orthonormal, and so are the
/// right ones, including for zero singular values (those are completed to an orthonormal set).
/// </remarks>
public sealed class SingularValueDecomposition
{
    private readonly double[] _left;
    private readonly double[] _values;
    private readonly double[] _right;

    internal SingularValueDecomposition(int rows, int columns, double[] left, double[] values, double[] right)
    {
        Rows = rows;
        Columns = columns;
        _left = left;
        _values = values;
        _right = right;
    }

    /// <summary>Rows of the decomposed matrix (length of each left singular vector).</summary>
    public int Rows { get; }

    /// <summary>Columns of the decomposed matrix (length of each right singular vector).</summary>
    public int Columns { get; }

    /// <summary>Number of components kept.</summary>
    public int Rank => _values.Length;

    /// <summary>Singular values, largest first, all non-negative.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The left singular vector <c>u_t</c> (<see cref="Rows"/> values, unit norm).</summary>
    /// <param name="component">Index <c>t</c> in <c>[0, Rank)</c>.</param>
    public ReadOnlySpan<double> LeftVector(int component)
    {
        CheckComponent(component);
        return _left.AsSpan(component * Rows, Rows);
    }

    /// <summary>The right singular vector <c>v_t</c> (<see cref="Columns"/> values, unit norm).</summary>
    /// <param name="component">Index <c>t</c> in <c>[0, Rank)</c>.</param>
    public ReadOnlySpan<double> RightVector(int component)
    {
        CheckComponent(component);
        return _right.AsSpan(component * Columns, Columns);
    }

    /// <summary>The leading <paramref name="rank"/> components (all of them when there are fewer).</summary>
    /// <param name="rank">Components to keep; zero or more.</param>
    public SingularValueDecomposition Truncate(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        if (rank >= Rank)
        {
            return this;
        }
        return new SingularValueDecomposition(
            Rows,
            Columns,
            _left.AsSpan(0, rank * Rows).ToArray(),
            _values.AsSpan(0, rank).ToArray(),
            _right.AsSpan(0, rank * Columns).ToArray());
    }

    private void CheckComponent(int component)
    {
        if ((uint)component >= (uint)Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(component), component, $"component must be in [0, {Rank}) (the decomposition keeps {Rank} components).");
        }
    }
}
