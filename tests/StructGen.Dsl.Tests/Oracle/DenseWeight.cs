using System;

namespace StructGen.Dsl.Tests.Oracle;

/// <summary>
/// The dense weight <c>W [Out, In]</c> of each structure, rebuilt from its named tensors by the formulas of
/// STRUCTURES.md (no generated code involved), and the DSL's composition rules: a sum adds its terms'
/// weights, a chain multiplies its factors' (<c>W = W_b·W_a</c>), the adapter is
/// <c>weight + (alpha/R)·lora_B·lora_A</c>. <paramref name="p"/> is the tensor-name prefix of the operand
/// (<c>"1."</c>, <c>"0.1."</c>, or empty).
/// </summary>
public static class DenseWeight
{
    public static Matrix Dense(TensorSet t, string p = "")
    {
        int[] s = t.Shape(p + "weight");
        Assert.Equal(2, s.Length);
        var w = new Matrix(s[0], s[1]);
        Array.Copy(t[p + "weight"], w.Data, w.Data.Length);
        return w;
    }

    public static Matrix LowRank(TensorSet t, string p = "") => Product(t, p + "B", p + "A");

    /// <summary>PEFT's adapter: <c>weight + (alpha / R)·lora_B·lora_A</c>.</summary>
    public static Matrix Adapter(TensorSet t, string p, int alpha)
    {
        int rank = t.Shape(p + "lora_A")[0];
        return Matrix.Sum(Dense(t, p), Matrix.Scale(Product(t, p + "lora_B", p + "lora_A"), (double)alpha / rank));
    }

    /// <summary>fly's Monarch with padding: <c>W[s·l + l', k·p + p'] = Σ blkdiag2[l', s, r]·blkdiag1[k, q, p']</c> over <c>k·q_n + q = r·l + l'</c>.</summary>
    public static Matrix Monarch(TensorSet t, string p, int inFeatures, int outFeatures)
    {
        int[] s1 = t.Shape(p + "blkdiag1"), s2 = t.Shape(p + "blkdiag2");
        int k = s1[0], q = s1[1], pp = s1[2], l = s2[0], s = s2[1], r = s2[2];
        Assert.Equal(l * r, k * q);
        double[] b1 = t[p + "blkdiag1"], b2 = t[p + "blkdiag2"];
        var w = new Matrix(outFeatures, inFeatures);
        for (int kk = 0; kk < k; kk++)
        for (int qq = 0; qq < q; qq++)
        {
            int flat = kk * q + qq, ll = flat % l, rr = flat / l;
            for (int ss = 0; ss < s; ss++)
            {
                int row = ss * l + ll;
                if (row >= outFeatures) continue;
                for (int i = 0; i < pp; i++)
                {
                    int column = kk * pp + i;
                    if (column >= inFeatures) continue;
                    w[row, column] += b2[(ll * s + ss) * r + rr] * b1[(kk * q + qq) * pp + i];
                }
            }
        }
        return w;
    }

    /// <summary><c>weight [K, O, P]</c>: block <c>k</c> at rows <c>k·O…</c>, columns <c>k·P…</c>, cut to the real features.</summary>
    public static Matrix BlockDiagonal(TensorSet t, string p, int inFeatures, int outFeatures)
    {
        int[] s = t.Shape(p + "weight");
        int k = s[0], o = s[1], i = s[2];
        double[] v = t[p + "weight"];
        var w = new Matrix(outFeatures, inFeatures);
        for (int kk = 0; kk < k; kk++)
        for (int oo = 0; oo < o; oo++)
        for (int ii = 0; ii < i; ii++)
            if (kk * o + oo < outFeatures && kk * i + ii < inFeatures)
                w[kk * o + oo, kk * i + ii] = v[(kk * o + oo) * i + ii];
        return w;
    }

    /// <summary><c>torch.kron(w1, w2)</c>.</summary>
    public static Matrix Kronecker(TensorSet t, string p = "")
    {
        int[] s1 = t.Shape(p + "w1"), s2 = t.Shape(p + "w2");
        double[] w1 = t[p + "w1"], w2 = t[p + "w2"];
        var w = new Matrix(s1[0] * s2[0], s1[1] * s2[1]);
        for (int i1 = 0; i1 < s1[0]; i1++)
        for (int j1 = 0; j1 < s1[1]; j1++)
        for (int i2 = 0; i2 < s2[0]; i2++)
        for (int j2 = 0; j2 < s2[1]; j2++)
            w[i1 * s2[0] + i2, j1 * s2[1] + j2] = w1[i1 * s1[1] + j1] * w2[i2 * s2[1] + j2];
        return w;
    }

    /// <summary>BLAST: block <c>(i, j)</c> is <c>B[i]·diag(D[i, j])·C[j]</c>.</summary>
    public static Matrix Blast(TensorSet t, string p = "")
    {
        int[] sb = t.Shape(p + "B"), sc = t.Shape(p + "C");
        int b1 = sb[0], bo = sb[1], r = sb[2], b2 = sc[0], bi = sc[2];
        double[] b = t[p + "B"], c = t[p + "C"], d = t[p + "D"];
        var w = new Matrix(b1 * bo, b2 * bi);
        for (int i = 0; i < b1; i++)
        for (int j = 0; j < b2; j++)
        for (int rr = 0; rr < r; rr++)
        {
            double dij = d[(i * b2 + j) * r + rr];
            for (int o = 0; o < bo; o++)
            {
                double bd = b[(i * bo + o) * r + rr] * dij;
                for (int cc = 0; cc < bi; cc++) w[i * bo + o, j * bi + cc] += bd * c[(j * r + rr) * bi + cc];
            }
        }
        return w;
    }

    /// <summary>A sum's weight: <c>Σ W_i</c>.</summary>
    public static Matrix Sum(params Matrix[] terms) => Matrix.Sum(terms);

    /// <summary>A chain's weight, factors in the order written (applied first to last): <c>W = W_(n-1)·…·W_0</c>.</summary>
    public static Matrix Chain(params Matrix[] factors)
    {
        Matrix w = factors[0];
        for (int i = 1; i < factors.Length; i++) w = Matrix.Product(factors[i], w);
        return w;
    }

    private static Matrix Product(TensorSet t, string left, string right)
    {
        int[] sl = t.Shape(left), sr = t.Shape(right);
        var a = new Matrix(sl[0], sl[1]);
        var b = new Matrix(sr[0], sr[1]);
        Array.Copy(t[left], a.Data, a.Data.Length);
        Array.Copy(t[right], b.Data, b.Data.Length);
        return Matrix.Product(a, b);
    }
}
