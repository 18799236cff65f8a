using System;

namespace StructGen.Dsl.Tests.Oracle;

/// <summary>The DSL's activations in double precision, written here from their definitions.</summary>
public static class ReferenceActivation
{
    public static double Apply(string name, double x) => name switch
    {
        "relu" => Math.Max(x, 0),
        "gelu" => x * NormalCdf(x),            // torch.nn.GELU(): exact x·Φ(x)
        "tanh" => Math.Tanh(x),
        "sigmoid" => 1 / (1 + Math.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Φ(x) = (1 + erf(x/√2)) / 2.</summary>
    private static double NormalCdf(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>
    /// erf by its Maclaurin series below |z| = 3 (terms peak near e^(z²), so double keeps ~12 digits), and by
    /// the continued fraction of erfc beyond (converges fast there).
    /// </summary>
    private static double Erf(double z)
    {
        double a = Math.Abs(z);
        if (a < 3)
        {
            double term = a, sum = a;
            for (int n = 1; n < 200; n++)
            {
                term *= -a * a / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return Math.Sign(z) * 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(a) = e^(−a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + …))))) (Lentz-free, evaluated bottom up)
        double f = a;
        for (int k = 60; k >= 1; k--) f = a + k / 2.0 / f;
        double erfc = Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
        return Math.Sign(z) * (1 - erfc);
    }
}
