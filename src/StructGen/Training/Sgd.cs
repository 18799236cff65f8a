using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StructGen.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and (L2, coupled) weight decay,
/// with the update rule of <c>torch.optim.SGD</c>:
/// <code>
/// g ← ∇ + λ·θ                       (λ only on groups with weight decay)
/// b ← g on the first step, else μ·b + (1 − τ)·g
/// g ← g + μ·b  (Nesterov)  or  g ← b  (momentum)
/// θ ← θ − η·g
/// </code>
/// with learning rate <c>η</c>, momentum <c>μ</c>, dampening <c>τ</c> and weight decay <c>λ</c>.
/// </summary>
public sealed class Sgd : IOptimizer
{
    private readonly ParameterGroup[] _groups;
    private readonly float[][]? _momentum;

    /// <summary>Creates the optimizer and, when <paramref name="momentum"/> is not zero, its momentum buffers.</summary>
    /// <param name="parameters">What to train; the groups are copied now.</param>
    /// <param name="learningRate">Learning rate <c>η</c>, positive.</param>
    /// <param name="momentum">Momentum <c>μ</c> in <c>[0, 1)</c>; zero for plain SGD.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs <paramref name="momentum"/> &gt; 0 and no dampening).</param>
    /// <param name="weightDecay">L2 penalty <c>λ</c> added to the gradient, non-negative.</param>
    /// <param name="dampening">Dampening <c>τ</c> in <c>[0, 1]</c> of the momentum update.</param>
    public Sgd(ParameterSet parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, double dampening = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }
        if (!(dampening >= 0 && dampening <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Dampening must be in [0, 1].");
        }
        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs a positive momentum and zero dampening.", nameof(nesterov));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        _groups = [.. parameters];
        LearningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        Dampening = dampening;
        if (momentum != 0)
        {
            _momentum = new float[_groups.Length][];
            for (int i = 0; i < _groups.Length; i++)
            {
                _momentum[i] = new float[_groups[i].Length];
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ParameterGroup> Groups => _groups;

    /// <inheritdoc />
    public double LearningRate { get; set; }

    /// <summary>Momentum <c>μ</c>.</summary>
    public double Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>Dampening <c>τ</c> of the momentum update.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty <c>λ</c>; may be changed between steps.</summary>
    public double WeightDecay { get; set; }

    /// <inheritdoc />
    public long StepCount { get; private set; }

    /// <inheritdoc />
    public void Step()
    {
        bool first = StepCount == 0;
        StepCount++;
        float lr = (float)LearningRate, mu = (float)Momentum, keep = (float)(1 - Dampening);
        for (int i = 0; i < _groups.Length; i++)
        {
            ParameterGroup group = _groups[i];
            Span<float> p = group.Parameters;
            ReadOnlySpan<float> g = group.Gradients;
            float wd = group.WeightDecay ? (float)WeightDecay : 0f;
            if (_momentum is null)
            {
                Plain(p, g, lr, wd);
            }
            else if (first)
            {
                // PyTorch starts the buffer at the first (decayed) gradient, not at μ·0 + (1 − τ)·g.
                WithMomentum(p, g, _momentum[i], lr, wd, mu, 0f, 1f, Nesterov);
            }
            else
            {
                WithMomentum(p, g, _momentum[i], lr, wd, mu, mu, keep, Nesterov);
            }
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
        if (_momentum is not null)
        {
            foreach (float[] buffer in _momentum)
            {
                Array.Clear(buffer);
            }
        }
    }

    /// <summary><c>θ ← θ − η·(∇ + λ·θ)</c>.</summary>
    private static void Plain(Span<float> p, ReadOnlySpan<float> g, float lr, float wd)
    {
        int n = p.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            Span<Vector<float>> vp = MemoryMarshal.Cast<float, Vector<float>>(p);
            ReadOnlySpan<Vector<float>> vg = MemoryMarshal.Cast<float, Vector<float>>(g[..n]);
            for (int j = 0; j < vp.Length; j++)
            {
                vp[j] -= lr * (vg[j] + wd * vp[j]);
            }
            i = vp.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            p[i] -= lr * (g[i] + wd * p[i]);
        }
    }

    /// <summary>
    /// <c>d ← ∇ + λ·θ; b ← decay·b + scale·d; θ ← θ − η·(Nesterov ? d + μ·b : b)</c>; the first step passes
    /// <c>decay = 0, scale = 1</c>.
    /// </summary>
    private static void WithMomentum(Span<float> p, ReadOnlySpan<float> g, Span<float> b, float lr, float wd, float mu, float decay, float scale, bool nesterov)
    {
        int n = p.Length, i = 0;
        g = g[..n];
        b = b[..n];
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            Span<Vector<float>> vp = MemoryMarshal.Cast<float, Vector<float>>(p);
            ReadOnlySpan<Vector<float>> vg = MemoryMarshal.Cast<float, Vector<float>>(g);
            Span<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int j = 0; j < vp.Length; j++)
            {
                Vector<float> d = vg[j] + wd * vp[j];
                Vector<float> m = decay * vb[j] + scale * d;
                vb[j] = m;
                vp[j] -= lr * (nesterov ? d + mu * m : m);
            }
            i = vp.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            float d = g[i] + wd * p[i];
            float m = decay * b[i] + scale * d;
            b[i] = m;
            p[i] -= lr * (nesterov ? d + mu * m : m);
        }
    }
}
