using System;
using System.Collections.Generic;

namespace StructGen.Language.Binding;

/// <summary>"Did you mean …?" for misspelt structure and argument names (edit distance).</summary>
public static class Suggestions
{
    /// <summary>Returns <c>; did you mean 'x'?</c> for the closest candidate, or a list of the valid names.</summary>
    public static string DidYouMean(string written, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        var all = new List<string>();
        foreach (string candidate in candidates)
        {
            all.Add(candidate);
            int d = Distance(written.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best is not null && bestDistance <= Math.Max(2, written.Length / 2))
        {
            return $"; did you mean '{best}'?";
        }
        return all.Count == 0 ? string.Empty : $"; expected one of: {string.Join(", ", all)}";
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
