using System.Collections.Generic;
using System.Linq;

namespace StructGen.Language.Shapes;

/// <summary>Divisor arithmetic used in shape messages and defaults.</summary>
public static class Divisors
{
    /// <summary>Divisors common to all of <paramref name="of"/> nearest to <paramref name="near"/> (at most <paramref name="count"/>).</summary>
    public static IReadOnlyList<int> Nearest(long near, int count, params int[] of)
    {
        // Enumerate the divisors of the smallest size in O(√n) and keep the ones every size shares.
        int smallest = of.Min();
        var found = new List<int>();
        for (long d = 1; d * d <= smallest; d++)
        {
            if (smallest % d != 0)
            {
                continue;
            }
            foreach (long candidate in new[] { d, smallest / d })
            {
                if (of.All(n => n % candidate == 0) && !found.Contains((int)candidate))
                {
                    found.Add((int)candidate);
                }
            }
        }
        return found.OrderBy(d => System.Math.Abs(d - near)).ThenBy(d => d).Take(count).OrderBy(d => d).ToList();
    }

    /// <summary>The divisor of <paramref name="n"/> nearest to <c>√n</c> from below (the balanced Kronecker split).</summary>
    public static int Balanced(int n)
    {
        int best = 1;
        for (long d = 1; d * d <= n; d++)
        {
            if (n % d == 0)
            {
                best = (int)d;
            }
        }
        return best;
    }

    public static string Text(IReadOnlyList<int> values) => values.Count == 0 ? "none" : string.Join(", ", values);
}
