using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StructGen.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization"),
/// with the update rule of <c>torch.optim.AdamW</c>: at step <c>t</c>, for every parameter <c>θ</c> with
/// gradient <c>g</c>,
/// <code>
/// θ ← θ − η·λ·θ                          (λ only on groups with weight decay)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// θ ← θ − η·(m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
/// </code>
/// The decay does not pass through the moment estimates, unlike L2 regularization in <see cref="Sgd"/>.
/// </summary>
public sealed class AdamW : IOptimizer
{
    private readonly ParameterGroup[] _groups;
    private readonly float[][] _m;
    private readonly float[][] _v;

    /// <summary>Creates the optimizer and its two moment buffers per group.</summary>
    /// <param name="parameters">What to train; the groups are copied now.</param>
    /// <param name="learningRate">Learning rate <c>η</c>, positive (PyTorch's default 1e-3).</param>
    /// <param name="beta1">Decay <c>β1</c> of the first moment, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">Decay <c>β2</c> of the second moment, in <c>[0, 1)</c>.</param>
    /// <param name="epsilon">Added to the denominator, positive.</param>
    /// <param name="weightDecay">Decoupled weight decay <c>λ</c>, non-negative (PyTorch's default 0.01).</param>
    public AdamW(ParameterSet parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        CheckBeta(beta1, nameof(beta1));
        CheckBeta(beta2, nameof(beta2));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        _groups = [.. parameters];
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _m = new float[_groups.Length][];
        _v = new float[_groups.Length][];
        for (int i = 0; i < _groups.Length; i++)
        {
            _m[i] = new float[_groups[i].Length];
            _v[i] = new float[_groups[i].Length];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ParameterGroup> Groups => _groups;

    /// <inheritdoc />
    public double LearningRate { get; set; }

    /// <summary>Decay <c>β1</c> of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay <c>β2</c> of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight decay <c>λ</c>; may be changed between steps.</summary>
    public double WeightDecay { get; set; }

    /// <inheritdoc />
    public long StepCount { get; private set; }

    /// <inheritdoc />
    public void Step()
    {
        StepCount++;
        // Bias corrections in double: β2ᵗ creeps towards 1 slowly and float would lose it.
        double correction1 = 1 - Math.Pow(Beta1, StepCount);
        double correction2 = 1 - Math.Pow(Beta2, StepCount);
        var rule = new Rule(
            stepSize: (float)(LearningRate / correction1),
            inverseRootCorrection2: (float)(1 / Math.Sqrt(correction2)),
            beta1: (float)Beta1,
            beta2: (float)Beta2,
            epsilon: (float)Epsilon);
        for (int i = 0; i < _groups.Length; i++)
        {
            ParameterGroup group = _groups[i];
            float shrink = group.WeightDecay ? (float)(1 - LearningRate * WeightDecay) : 1f;
            Update(group.Parameters, group.Gradients, _m[i], _v[i], shrink, rule);
        }
    }

    /// <inheritdoc />
    public void ZeroGradients()
    {
        foreach (ParameterGroup group in _groups)
        {
            group.Gradients.Clear();
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        StepCount = 0;
        for (int i = 0; i < _groups.Length; i++)
        {
            Array.Clear(_m[i]);
            Array.Clear(_v[i]);
        }
    }

    private static void CheckBeta(double beta, string name)
    {
        if (!(beta >= 0 && beta < 1))
        {
            throw new ArgumentOutOfRangeException(name, beta, "β must be in [0, 1).");
        }
    }

    private static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float shrink, in Rule r)
    {
        int n = p.Length, i = 0;
        g = g[..n];
        m = m[..n];
        v = v[..n];
        float a1 = 1 - r.Beta1, a2 = 1 - r.Beta2;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            Span<Vector<float>> vp = MemoryMarshal.Cast<float, Vector<float>>(p);
            ReadOnlySpan<Vector<float>> vg = MemoryMarshal.Cast<float, Vector<float>>(g);
            Span<Vector<float>> vm = MemoryMarshal.Cast<float, Vector<float>>(m);
            Span<Vector<float>> vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            var epsilon = new Vector<float>(r.Epsilon);
            for (int j = 0; j < vp.Length; j++)
            {
                Vector<float> gj = vg[j];
                Vector<float> mj = r.Beta1 * vm[j] + a1 * gj;
                Vector<float> vj = r.Beta2 * vv[j] + a2 * (gj * gj);
                vm[j] = mj;
                vv[j] = vj;
                Vector<float> denominator = Vector.SquareRoot(vj) * r.InverseRootCorrection2 + epsilon;
                vp[j] = shrink * vp[j] - r.StepSize * (mj / denominator);
            }
            i = vp.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            float gi = g[i];
            float mi = r.Beta1 * m[i] + a1 * gi;
            float vi = r.Beta2 * v[i] + a2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            float denominator = MathF.Sqrt(vi) * r.InverseRootCorrection2 + r.Epsilon;
            p[i] = shrink * p[i] - r.StepSize * (mi / denominator);
        }
    }

    /// <summary>The per-step scalars of the update, shared by every group.</summary>
    private readonly struct Rule(float stepSize, float inverseRootCorrection2, float beta1, float beta2, float epsilon)
    {
        public float StepSize { get; } = stepSize;

        public float InverseRootCorrection2 { get; } = inverseRootCorrection2;

        public float Beta1 { get; } = beta1;

        public float Beta2 { get; } = beta2;

        public float Epsilon { get; } = epsilon;
    }
}
