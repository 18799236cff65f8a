using System;

namespace StructGen.Projection;

/// <summary>Settings of <see cref="BlastProjection"/>'s iterative factorization.</summary>
public sealed class BlastProjectionOptions
{
    private readonly int _maxIterations = 500;
    private readonly double _tolerance = 1e-9;
    private readonly double _damping = 1e-9;

    /// <summary>The defaults: 500 iterations, tolerance 1e-9, damping 1e-9, seed 0.</summary>
    public static BlastProjectionOptions Default { get; } = new();

    /// <summary>Cap on sweeps over <c>B</c>, <c>C</c> and <c>D</c> (zero keeps the spectral start). Default 500.</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxIterations));
            _maxIterations = value;
        }
    }

    /// <summary>
    /// Stop when a sweep lowers the squared error by less than this fraction of it (or the error falls below
    /// <c>1e-7</c> of <c>‖W‖_F</c>, under <see cref="float"/> resolution). Default <c>1e-9</c>.
    /// </summary>
    public double Tolerance
    {
        get => _tolerance;
        init
        {
            if (!(value >= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(Tolerance), value, "Tolerance must be zero or positive.");
            }
            _tolerance = value;
        }
    }

    /// <summary>
    /// Damping <c>δ</c> of the preconditioner, relative to its mean diagonal: each step solves
    /// <c>(H + δ·I)</c>, which also makes it a proximal step (the error never increases). Default <c>1e-9</c>.
    /// </summary>
    public double Damping
    {
        get => _damping;
        init
        {
            if (!(value >= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(Damping), value, "Damping must be zero or positive.");
            }
            _damping = value;
        }
    }

    /// <summary>Seed of the randomized SVDs of the start and of the directions that fill ranks beyond a block's size.</summary>
    public int Seed { get; init; }
}
