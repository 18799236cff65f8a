namespace StructGen.Generators.Tests.Infrastructure;

/// <summary>Regions of generated source that shape tests look inside (a tile method, one loop of it).</summary>
internal static class GeneratedRegion
{
    /// <summary>The text from the first <paramref name="start"/> up to the next <paramref name="end"/> after it; fails the test when either is missing.</summary>
    public static string Between(string code, string start, string end)
    {
        int from = code.IndexOf(start, System.StringComparison.Ordinal);
        Xunit.Assert.True(from >= 0, $"{start} not found");
        int to = code.IndexOf(end, from + start.Length, System.StringComparison.Ordinal);
        Xunit.Assert.True(to > from, $"{end} not found after {start}");
        return code[from..to];
    }

    /// <summary>How many times <paramref name="text"/> occurs in <paramref name="code"/>, without overlaps.</summary>
    public static int Count(string code, string text)
    {
        int count = 0;
        for (int at = code.IndexOf(text, System.StringComparison.Ordinal); at >= 0; at = code.IndexOf(text, at + text.Length, System.StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
