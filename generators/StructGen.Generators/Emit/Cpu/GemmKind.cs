namespace StructGen.Generators.Emit.Cpu;

/// <summary>The three products every structure's forward and backward pass is made of.</summary>
internal enum GemmKind
{
    /// <summary><c>y[b, m] (+)= Σ_k x[b, k]·w[m, k]</c>: a layer's forward (<c>x·Wᵀ</c>), dot form.</summary>
    Nt,

    /// <summary><c>y[b, k] (+)= Σ_m a[b, m]·w[m, k]</c>: input gradients (<c>dy·W</c>), axpy form.</summary>
    Nn,

    /// <summary><c>w[m, k] += Σ_b a[b, m]·x[b, k]</c>: weight gradients (<c>dyᵀ·x</c>), axpy form.</summary>
    Tn,
}
