using System;

namespace StructGen.Projection;

/// <summary>
/// Projection onto BLAST matrices (changwoolee/BLAST <c>BlastLinear</c>): block <c>(i, j)</c> of <c>W</c> is
/// <c>B[i]·diag(D[i, j])·C[j]</c>, with <c>B [b1, Out/b1, R]</c>, <c>C [b2, R, In/b2]</c>, <c>D [b1, b2, R]</c>.
/// Following the BLAST paper, the factors are found by preconditioned gradient descent on
/// <c>½·Σ_ij ‖W_ij − B_i·diag(d_ij)·C_j‖²</c> from a spectral start.
/// </summary>
/// <remarks>
/// <para>
/// Start: <c>B_i</c> = the top-<c>R</c> left singular vectors of block row <c>i</c>, <c>C_j</c> = the top-<c>R</c>
/// right singular vectors of block column <c>j</c> (a BLAST matrix's block row <c>i</c> spans exactly the
/// columns of <c>B_i</c>, so the start already has the right subspaces), <c>D</c> the best coupling for them.
/// </para>
/// <para>
/// Steps: one sweep updates <c>B</c>, then <c>C</c>, then <c>D</c>, each by a gradient step preconditioned
/// with that factor's Gauss–Newton matrix plus damping, <c>X ← X − ∇_X·(H_X + δI)⁻¹</c>, step size 1:
/// <c>H</c> is <c>Σ_j D_ij·C_jC_jᵀ·D_ij</c> for <c>B_i</c>, <c>Σ_i D_ij·B_iᵀB_i·D_ij</c> for <c>C_j</c>, and
/// <c>(B_iᵀB_i) ∘ (C_jC_jᵀ)</c> for <c>d_ij</c>. Since the loss is quadratic in each factor, that step is the
/// minimizer of <c>loss + (δ/2)·‖X − X_old‖²</c>: the error never increases. Between sweeps the columns of
/// <c>B_i</c> and rows of <c>C_j</c> are rescaled to unit norm (scale moved into <c>D</c>), which keeps the
/// preconditioners well conditioned; at the end the scale is spread evenly over the three factors.
/// </para>
/// <para>
/// Not convex: the result is a local optimum, deterministic for a given seed. Cost per sweep about
/// <c>6·Out·In·R</c> FLOPs plus <c>b1·b2</c> solves of size <c>R</c>; the start costs <c>b1 + b2</c>
/// truncated SVDs.
/// </para>
/// </remarks>
public static class BlastProjection
{
    /// <summary>BLAST approximation of <paramref name="dense"/> on a <paramref name="blocks"/> × <paramref name="blocks"/> grid.</summary>
    /// <param name="dense">The weight <c>W</c>, <c>[Out, In]</c> row-major.</param>
    /// <param name="outFeatures">Rows of <paramref name="dense"/> (<c>Out</c>); <paramref name="blocks"/> must divide it.</param>
    /// <param name="inFeatures">Columns of <paramref name="dense"/> (<c>In</c>); <paramref name="blocks"/> must divide it.</param>
    /// <param name="blocks">Blocks along each side, at least 1.</param>
    /// <param name="rank">The rank <c>R</c> of every block, at least 1.</param>
    /// <param name="options">Iteration settings; <see langword="null"/> for <see cref="BlastProjectionOptions.Default"/>.</param>
    /// <returns><c>blast(blocks: K, r: R)</c> with tensors <c>B</c>, <c>C</c>, <c>D</c>.</returns>
    public static ProjectedStructure Project(ReadOnlySpan<float> dense, int outFeatures, int inFeatures, int blocks, int rank, BlastProjectionOptions? options = null)
        => Project(dense, outFeatures, inFeatures, blocks, blocks, rank, options);

    /// <summary>BLAST approximation of <paramref name="dense"/> on a <paramref name="rowBlocks"/> × <paramref name="columnBlocks"/> grid.</summary>
    /// <param name="dense">The weight <c>W</c>, <c>[Out, In]</c> row-major.</param>
    /// <param name="outFeatures">Rows of <paramref name="dense"/> (<c>Out</c>); <paramref name="rowBlocks"/> must divide it.</param>
    /// <param name="inFeatures">Columns of <paramref name="dense"/> (<c>In</c>); <paramref name="columnBlocks"/> must divide it.</param>
    /// <param name="rowBlocks">Row blocks <c>b1</c>, at least 1.</param>
    /// <param name="columnBlocks">Column blocks <c>b2</c>, at least 1.</param>
    /// <param name="rank">The rank <c>R</c> of every block, at least 1.</param>
    /// <param name="options">Iteration settings; <see langword="null"/> for <see cref="BlastProjectionOptions.Default"/>.</param>
    /// <returns>
    /// <c>blast(…, r: R)</c> with tensors <c>B [b1, Out/b1, R]</c>, <c>C [b2, R, In/b2]</c>, <c>D [b1, b2, R]</c>.
    /// </returns>
    public static ProjectedStructure Project(
        ReadOnlySpan<float> dense,
        int outFeatures,
        int inFeatures,
        int rowBlocks,
        int columnBlocks,
        int rank,
        BlastProjectionOptions? options = null)
    {
        DenseWeight w = DenseWeight.From(dense, outFeatures, inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowBlocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columnBlocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        if (outFeatures % rowBlocks != 0)
        {
            throw new ArgumentException($"rowBlocks ({rowBlocks}) must divide Out ({outFeatures}); BLAST does not pad.", nameof(rowBlocks));
        }
        if (inFeatures % columnBlocks != 0)
        {
            throw new ArgumentException($"columnBlocks ({columnBlocks}) must divide In ({inFeatures}); BLAST does not pad.", nameof(columnBlocks));
        }
        options ??= BlastProjectionOptions.Default;

        var factorization = new Factorization(w, rowBlocks, columnBlocks, rank, options);
        factorization.Start();
        factorization.Iterate();
        factorization.Balance();

        string description = rowBlocks == columnBlocks
            ? $"blast(blocks: {rowBlocks}, r: {rank})"
            : $"blast(rows: {rowBlocks}, columns: {columnBlocks}, r: {rank})";
        return new ProjectedStructure(
            description,
            outFeatures,
            inFeatures,
            [
                new ProjectedTensor("B", [rowBlocks, factorization.BlockRows, rank], ToSingle(factorization.B)),
                new ProjectedTensor("C", [columnBlocks, rank, factorization.BlockColumns], ToSingle(factorization.C)),
                new ProjectedTensor("D", [rowBlocks, columnBlocks, rank], ToSingle(factorization.D)),
            ]);
    }

    private static float[] ToSingle(double[] values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }
        return result;
    }

    /// <summary>The factors in double precision and the sweeps that refine them.</summary>
    private sealed class Factorization
    {
        // The start only needs the right subspaces roughly: the sweeps refine them.
        private const double StartTolerance = 1e-4;

        private readonly DenseWeight _w;
        private readonly int _b1;
        private readonly int _b2;
        private readonly int _rank;
        private readonly BlastProjectionOptions _options;
        private readonly double _energy; // ‖W‖²

        // Scratch reused by every sweep.
        private readonly double[] _gram;      // [R, R]
        private readonly double[] _product;   // [m, R]: W_ij·C_jᵀ
        private readonly double[] _gramsB;    // [b1, R, R]: B_iᵀB_i
        private readonly double[] _gramsC;    // [b2, R, R]: C_jC_jᵀ

        public Factorization(DenseWeight w, int b1, int b2, int rank, BlastProjectionOptions options)
        {
            _w = w;
            _b1 = b1;
            _b2 = b2;
            _rank = rank;
            _options = options;
            BlockRows = w.OutFeatures / b1;
            BlockColumns = w.InFeatures / b2;
            B = new double[b1 * BlockRows * rank];
            C = new double[b2 * rank * BlockColumns];
            D = new double[b1 * b2 * rank];
            _gram = new double[rank * rank];
            _product = new double[BlockRows * rank];
            _gramsB = new double[b1 * rank * rank];
            _gramsC = new double[b2 * rank * rank];
            _energy = Blas1.Dot(w.Values, w.Values);
        }

        public int BlockRows { get; }      // m = Out/b1

        public int BlockColumns { get; }   // n = In/b2

        public double[] B { get; }         // [b1, m, R]

        public double[] C { get; }         // [b2, R, n]

        public double[] D { get; }         // [b1, b2, R]

        private int M => BlockRows;

        private int N => BlockColumns;

        public void Start()
        {
            var random = new SplitMix64(_options.Seed);
            int inFeatures = _w.InFeatures;
            int outFeatures = _w.OutFeatures;

            // B_i: leading left singular vectors of block row i ([m, In], contiguous in W).
            for (int i = 0; i < _b1; i++)
            {
                ReadOnlySpan<double> blockRow = _w.Values.AsSpan(i * M * inFeatures, M * inFeatures);
                SingularValueDecomposition svd = TruncatedSvd.Decompose(blockRow, M, inFeatures, _rank, _options.Seed, StartTolerance);
                for (int r = 0; r < _rank; r++)
                {
                    for (int a = 0; a < M; a++)
                    {
                        B[(i * M + a) * _rank + r] = r < svd.Rank ? svd.LeftVector(r)[a] : random.NextGaussian() / Math.Sqrt(M);
                    }
                }
            }

            // C_j: leading right singular vectors of block column j ([Out, n], gathered).
            var blockColumn = new double[outFeatures * N];
            for (int j = 0; j < _b2; j++)
            {
                for (int row = 0; row < outFeatures; row++)
                {
                    _w.Values.AsSpan(row * inFeatures + j * N, N).CopyTo(blockColumn.AsSpan(row * N, N));
                }
                SingularValueDecomposition svd = TruncatedSvd.Decompose(blockColumn, outFeatures, N, _rank, _options.Seed, StartTolerance);
                for (int r = 0; r < _rank; r++)
                {
                    Span<double> c = C.AsSpan((j * _rank + r) * N, N);
                    if (r < svd.Rank)
                    {
                        svd.RightVector(r).CopyTo(c);
                    }
                    else
                    {
                        random.FillGaussian(c);
                        Blas1.Scale(1 / Math.Sqrt(N), c);
                    }
                }
            }

            UpdateD(proximal: false);
        }

        public void Iterate()
        {
            double previous = double.PositiveInfinity;
            double floor = 1e-14 * _energy; // relative error 1e-7: below float resolution
            for (int sweep = 0; sweep < _options.MaxIterations; sweep++)
            {
                UpdateB();
                UpdateC();
                double loss = UpdateD(proximal: true);
                Normalize();
                if (loss <= floor || previous - loss <= _options.Tolerance * loss)
                {
                    return;
                }
                previous = loss;
            }
        }

        /// <summary>B_i ← B_i − ∇·(H + δI)⁻¹ = (F + δB_i)(H + δI)⁻¹ with H = Σ_j D_ij C_jC_jᵀ D_ij, F = Σ_j W_ij C_jᵀ D_ij.</summary>
        private void UpdateB()
        {
            ComputeGramsC();
            var rhs = new double[_rank * M];      // Fᵀ, [R, m]
            var previous = new double[_rank * M]; // B_iᵀ
            for (int i = 0; i < _b1; i++)
            {
                Array.Clear(_gram);
                Array.Clear(rhs);
                for (int j = 0; j < _b2; j++)
                {
                    ReadOnlySpan<double> d = D.AsSpan((i * _b2 + j) * _rank, _rank);
                    AddScaledGram(_gramsC.AsSpan(j * _rank * _rank, _rank * _rank), d);
                    BlockTimesCTransposed(i, j, _product); // [m, R]
                    for (int a = 0; a < M; a++)
                    {
                        for (int r = 0; r < _rank; r++)
                        {
                            rhs[r * M + a] += _product[a * _rank + r] * d[r];
                        }
                    }
                }
                for (int a = 0; a < M; a++)
                {
                    for (int r = 0; r < _rank; r++)
                    {
                        previous[r * M + a] = B[(i * M + a) * _rank + r];
                    }
                }
                Solve(rhs, M, previous);
                for (int a = 0; a < M; a++)
                {
                    for (int r = 0; r < _rank; r++)
                    {
                        B[(i * M + a) * _rank + r] = rhs[r * M + a];
                    }
                }
            }
        }

        /// <summary>C_j ← (H + δI)⁻¹(F + δC_j) with H = Σ_i D_ij B_iᵀB_i D_ij, F = Σ_i D_ij B_iᵀ W_ij.</summary>
        private void UpdateC()
        {
            ComputeGramsB();
            var rhs = new double[_rank * N]; // [R, n]
            int inFeatures = _w.InFeatures;
            for (int j = 0; j < _b2; j++)
            {
                Array.Clear(_gram);
                Array.Clear(rhs);
                for (int i = 0; i < _b1; i++)
                {
                    ReadOnlySpan<double> d = D.AsSpan((i * _b2 + j) * _rank, _rank);
                    AddScaledGram(_gramsB.AsSpan(i * _rank * _rank, _rank * _rank), d);
                    for (int a = 0; a < M; a++)
                    {
                        ReadOnlySpan<double> row = _w.Values.AsSpan((i * M + a) * inFeatures + j * N, N);
                        for (int r = 0; r < _rank; r++)
                        {
                            double weight = d[r] * B[(i * M + a) * _rank + r];
                            if (weight != 0)
                            {
                                Blas1.Axpy(weight, row, rhs.AsSpan(r * N, N));
                            }
                        }
                    }
                }
                Span<double> c = C.AsSpan(j * _rank * N, _rank * N);
                Solve(rhs, N, c);
                rhs.CopyTo(c);
            }
        }

        /// <summary>
        /// d_ij ← ((B_iᵀB_i)∘(C_jC_jᵀ) + δI)⁻¹(f + δd_ij) with f_r = B_i[:, r]ᵀ·W_ij·C_j[r, :]ᵀ.
        /// Returns the squared error after the update, ‖W_ij‖² − 2fᵀd + dᵀ·H·d summed over blocks.
        /// </summary>
        private double UpdateD(bool proximal)
        {
            ComputeGramsB();
            ComputeGramsC();
            var f = new double[_rank];
            double loss = _energy;
            for (int i = 0; i < _b1; i++)
            {
                ReadOnlySpan<double> gramB = _gramsB.AsSpan(i * _rank * _rank, _rank * _rank);
                for (int j = 0; j < _b2; j++)
                {
                    ReadOnlySpan<double> gramC = _gramsC.AsSpan(j * _rank * _rank, _rank * _rank);
                    BlockTimesCTransposed(i, j, _product); // [m, R]
                    Array.Clear(f);
                    for (int a = 0; a < M; a++)
                    {
                        for (int r = 0; r < _rank; r++)
                        {
                            f[r] += B[(i * M + a) * _rank + r] * _product[a * _rank + r];
                        }
                    }
                    for (int t = 0; t < _gram.Length; t++)
                    {
                        _gram[t] = gramB[t] * gramC[t];
                    }
                    Span<double> d = D.AsSpan((i * _b2 + j) * _rank, _rank);
                    var rhs = (double[])f.Clone();
                    Solve(rhs, 1, proximal ? d : default);
                    rhs.CopyTo(d);

                    // Error of this block with the new d (the Hadamard Gram is still in _gram).
                    double quadratic = 0;
                    for (int r = 0; r < _rank; r++)
                    {
                        quadratic += d[r] * Blas1.Dot(_gram.AsSpan(r * _rank, _rank), d);
                    }
                    loss += quadratic - 2 * Blas1.Dot(f, d);
                }
            }
            return Math.Max(loss, 0);
        }

        /// <summary>Unit-norm columns of B_i and rows of C_j; the scales move into D so W is unchanged.</summary>
        private void Normalize()
        {
            for (int i = 0; i < _b1; i++)
            {
                for (int r = 0; r < _rank; r++)
                {
                    double norm = 0;
                    for (int a = 0; a < M; a++)
                    {
                        norm += B[(i * M + a) * _rank + r] * B[(i * M + a) * _rank + r];
                    }
                    norm = Math.Sqrt(norm);
                    if (norm == 0)
                    {
                        continue;
                    }
                    for (int a = 0; a < M; a++)
                    {
                        B[(i * M + a) * _rank + r] /= norm;
                    }
                    for (int j = 0; j < _b2; j++)
                    {
                        D[(i * _b2 + j) * _rank + r] *= norm;
                    }
                }
            }
            for (int j = 0; j < _b2; j++)
            {
                for (int r = 0; r < _rank; r++)
                {
                    Span<double> c = C.AsSpan((j * _rank + r) * N, N);
                    double norm = Math.Sqrt(Blas1.Dot(c, c));
                    if (norm == 0)
                    {
                        continue;
                    }
                    Blas1.Scale(1 / norm, c);
                    for (int i = 0; i < _b1; i++)
                    {
                        D[(i * _b2 + j) * _rank + r] *= norm;
                    }
                }
            }
        }

        /// <summary>
        /// Spreads the scale evenly: after <see cref="Normalize"/> B and C have unit vectors and D all the
        /// magnitude; multiplying B and C by <c>g</c> and dividing D by <c>g²</c> with <c>g³</c> = RMS of D
        /// gives the three factors the same RMS magnitude per vector, which suits further training.
        /// </summary>
        public void Balance()
        {
            Normalize();
            double sum = Blas1.Dot(D, D);
            if (sum == 0)
            {
                return;
            }
            double g = Math.Cbrt(Math.Sqrt(sum / D.Length));
            Blas1.Scale(g, B);
            Blas1.Scale(g, C);
            Blas1.Scale(1 / (g * g), D);
        }

        /// <summary><c>product[a, r] = Σ_c W_ij[a, c]·C_j[r, c]</c> (<c>[m, R]</c>).</summary>
        private void BlockTimesCTransposed(int i, int j, double[] product)
        {
            int inFeatures = _w.InFeatures;
            for (int a = 0; a < M; a++)
            {
                ReadOnlySpan<double> row = _w.Values.AsSpan((i * M + a) * inFeatures + j * N, N);
                for (int r = 0; r < _rank; r++)
                {
                    product[a * _rank + r] = Blas1.Dot(row, C.AsSpan((j * _rank + r) * N, N));
                }
            }
        }

        /// <summary><c>_gram += diag(d)·G·diag(d)</c>.</summary>
        private void AddScaledGram(ReadOnlySpan<double> g, ReadOnlySpan<double> d)
        {
            for (int r = 0; r < _rank; r++)
            {
                for (int t = 0; t < _rank; t++)
                {
                    _gram[r * _rank + t] += d[r] * g[r * _rank + t] * d[t];
                }
            }
        }

        private void ComputeGramsB()
        {
            Array.Clear(_gramsB);
            for (int i = 0; i < _b1; i++)
            {
                Span<double> g = _gramsB.AsSpan(i * _rank * _rank, _rank * _rank);
                for (int a = 0; a < M; a++)
                {
                    ReadOnlySpan<double> row = B.AsSpan((i * M + a) * _rank, _rank);
                    for (int r = 0; r < _rank; r++)
                    {
                        Blas1.Axpy(row[r], row, g.Slice(r * _rank, _rank));
                    }
                }
            }
        }

        private void ComputeGramsC()
        {
            for (int j = 0; j < _b2; j++)
            {
                Span<double> g = _gramsC.AsSpan(j * _rank * _rank, _rank * _rank);
                for (int r = 0; r < _rank; r++)
                {
                    ReadOnlySpan<double> cr = C.AsSpan((j * _rank + r) * N, N);
                    for (int t = 0; t <= r; t++)
                    {
                        double value = Blas1.Dot(cr, C.AsSpan((j * _rank + t) * N, N));
                        g[r * _rank + t] = value;
                        g[t * _rank + r] = value;
                    }
                }
            }
        }

        /// <summary>
        /// The preconditioned step: overwrites <paramref name="rhs"/> (<c>F</c>, <c>[R, count]</c>) with
        /// <c>(H + δI)⁻¹·(F + δ·previous)</c>, <c>H</c> being <c>_gram</c> and <c>δ</c> the damping relative to
        /// H's mean diagonal; an empty <paramref name="previous"/> drops the proximal term (a plain ridge solve).
        /// The damping is raised tenfold until Cholesky succeeds, which only happens for rank-deficient factors.
        /// </summary>
        private void Solve(double[] rhs, int count, ReadOnlySpan<double> previous)
        {
            double trace = 0;
            for (int r = 0; r < _rank; r++)
            {
                trace += _gram[r * _rank + r];
            }
            double delta = _options.Damping * trace / _rank;
            double floor = 1e-15 * Math.Max(trace / _rank, 1e-300);
            var system = new double[_gram.Length];
            var target = new double[rhs.Length];
            for (int attempt = 0; ; attempt++)
            {
                rhs.CopyTo(target, 0);
                if (!previous.IsEmpty)
                {
                    Blas1.Axpy(delta, previous, target);
                }
                _gram.CopyTo(system, 0);
                for (int r = 0; r < _rank; r++)
                {
                    system[r * _rank + r] += delta;
                }
                if (CholeskySolver.TrySolve(system, _rank, target, count))
                {
                    target.CopyTo(rhs, 0);
                    return;
                }
                if (attempt > 40)
                {
                    throw new InvalidOperationException("BLAST projection: the preconditioner is not positive definite even with damping.");
                }
                delta = Math.Max(delta * 10, floor);
            }
        }
    }
}
