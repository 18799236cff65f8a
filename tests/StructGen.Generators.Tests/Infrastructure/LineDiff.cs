using System;
using System.Collections.Generic;
using System.Text;

namespace StructGen.Generators.Tests.Infrastructure;

/// <summary>
/// A unified line diff (the <c>diff -u</c> format) from a longest common subsequence, so a failing
/// snapshot shows what changed rather than two 1,000-line files.
/// </summary>
internal static class LineDiff
{
    /// <summary>One line of an edit script: kept (' '), removed ('-') or added ('+').</summary>
    public readonly record struct Edit(char Kind, string Text, int OldLine, int NewLine);

    /// <summary>Past this many cells the LCS table is not built; the differing middle is shown whole instead.</summary>
    private const long MaxTableCells = 16_000_000;

    public static string[] SplitLines(string text)
    {
        string normalized = text.Replace("\r\n", "\n");
        if (normalized.EndsWith('\n'))
        {
            normalized = normalized[..^1];
        }
        return normalized.Length == 0 ? Array.Empty<string>() : normalized.Split('\n');
    }

    /// <summary>The edit script turning <paramref name="oldLines"/> into <paramref name="newLines"/>, shortest by LCS.</summary>
    public static List<Edit> Compute(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
    {
        // Common prefix and suffix cost nothing to match and keep the table small for local edits.
        int prefix = 0;
        while (prefix < oldLines.Count && prefix < newLines.Count && oldLines[prefix] == newLines[prefix])
        {
            prefix++;
        }
        int suffix = 0;
        while (suffix < oldLines.Count - prefix && suffix < newLines.Count - prefix
               && oldLines[oldLines.Count - 1 - suffix] == newLines[newLines.Count - 1 - suffix])
        {
            suffix++;
        }

        var edits = new List<Edit>();
        for (int i = 0; i < prefix; i++)
        {
            edits.Add(new Edit(' ', oldLines[i], i, i));
        }
        int n = oldLines.Count - prefix - suffix;
        int m = newLines.Count - prefix - suffix;
        if ((long)(n + 1) * (m + 1) > MaxTableCells)
        {
            for (int i = 0; i < n; i++)
            {
                edits.Add(new Edit('-', oldLines[prefix + i], prefix + i, -1));
            }
            for (int j = 0; j < m; j++)
            {
                edits.Add(new Edit('+', newLines[prefix + j], -1, prefix + j));
            }
        }
        else
        {
            // lcs[i, j] = length of the LCS of old[i..n) and new[j..m) (middle parts only).
            var lcs = new int[n + 1, m + 1];
            for (int i = n - 1; i >= 0; i--)
            {
                for (int j = m - 1; j >= 0; j--)
                {
                    lcs[i, j] = oldLines[prefix + i] == newLines[prefix + j]
                        ? lcs[i + 1, j + 1] + 1
                        : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }
            int a = 0, b = 0;
            while (a < n || b < m)
            {
                if (a < n && b < m && oldLines[prefix + a] == newLines[prefix + b])
                {
                    edits.Add(new Edit(' ', oldLines[prefix + a], prefix + a, prefix + b));
                    a++;
                    b++;
                }
                else if (a < n && (b == m || lcs[a + 1, b] >= lcs[a, b + 1]))
                {
                    // Removals before additions on a tie, as diff -u writes a changed line.
                    edits.Add(new Edit('-', oldLines[prefix + a], prefix + a, -1));
                    a++;
                }
                else
                {
                    edits.Add(new Edit('+', newLines[prefix + b], -1, prefix + b));
                    b++;
                }
            }
        }
        for (int k = 0; k < suffix; k++)
        {
            int i = oldLines.Count - suffix + k, j = newLines.Count - suffix + k;
            edits.Add(new Edit(' ', oldLines[i], i, j));
        }
        return edits;
    }

    /// <summary>
    /// <paramref name="oldText"/> → <paramref name="newText"/> as a unified diff with <paramref name="context"/>
    /// lines around each change; empty when the texts have the same lines.
    /// </summary>
    public static string Unified(string oldText, string newText, string oldName, string newName, int context = 3)
    {
        List<Edit> edits = Compute(SplitLines(oldText), SplitLines(newText));
        var output = new StringBuilder();
        int index = 0;
        while (index < edits.Count)
        {
            int change = edits.FindIndex(index, e => e.Kind != ' ');
            if (change < 0)
            {
                break;
            }
            if (output.Length == 0)
            {
                output.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
            }

            // A hunk runs from `context` lines before its first change to `context` after its last, merging
            // changes whose gap is at most 2·context kept lines.
            int start = Math.Max(index, change - context);
            int end = change;
            while (true)
            {
                int last = end;
                while (last + 1 < edits.Count && edits[last + 1].Kind != ' ')
                {
                    last++;
                }
                int next = edits.FindIndex(last + 1, e => e.Kind != ' ');
                if (next >= 0 && next - last - 1 <= 2 * context)
                {
                    end = next;
                    continue;
                }
                end = Math.Min(edits.Count - 1, last + context);
                break;
            }

            int oldStart = -1, newStart = -1, oldCount = 0, newCount = 0;
            for (int k = start; k <= end; k++)
            {
                Edit e = edits[k];
                if (e.Kind != '+')
                {
                    oldCount++;
                    oldStart = oldStart < 0 ? e.OldLine : oldStart;
                }
                if (e.Kind != '-')
                {
                    newCount++;
                    newStart = newStart < 0 ? e.NewLine : newStart;
                }
            }
            output.Append("@@ -").Append(Range(oldStart, oldCount, edits, start, old: true))
                .Append(" +").Append(Range(newStart, newCount, edits, start, old: false)).Append(" @@\n");
            for (int k = start; k <= end; k++)
            {
                output.Append(edits[k].Kind).Append(edits[k].Text).Append('\n');
            }
            index = end + 1;
        }
        return output.ToString();
    }

    /// <summary>A hunk range, 1-based; an empty side names the line before it, as diff -u does.</summary>
    private static string Range(int start, int count, List<Edit> edits, int hunkStart, bool old)
    {
        if (count == 0)
        {
            int before = 0;
            for (int k = hunkStart - 1; k >= 0; k--)
            {
                int line = old ? edits[k].OldLine : edits[k].NewLine;
                if (line >= 0)
                {
                    before = line + 1;
                    break;
                }
            }
            return before + ",0";
        }
        return count == 1 ? (start + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{start + 1},{count}";
    }
}
