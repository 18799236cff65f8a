using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

namespace StructGen.Gpu.Tests.Generator;

/// <summary>
/// Checked-in baselines of the ILGPU output, the same mechanism as tests/StructGen.Generators.Tests:
/// <c>Snapshots/{Test}/{HintName}.verified.cs</c> (the hint's <c>.cs</c> dropped). A mismatch writes
/// <c>.received.cs</c> beside the baseline and fails with the first differing lines; running with
/// <c>STRUCTGEN_ACCEPT_SNAPSHOTS=1</c> overwrites the baselines instead.
/// </summary>
internal static class GpuSnapshot
{
    public const string AcceptVariable = "STRUCTGEN_ACCEPT_SNAPSHOTS";

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true";

    /// <summary>This project's <c>Snapshots/</c>, from this file's path, or walking up from the output folder.</summary>
    public static string Root([CallerFilePath] string thisFile = "")
    {
        string? project = Path.GetDirectoryName(Path.GetDirectoryName(thisFile));
        if (project is not null && File.Exists(Path.Combine(project, "StructGen.Gpu.Tests.csproj")))
        {
            return Path.Combine(project, "Snapshots");
        }
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "StructGen.Gpu.Tests");
            if (File.Exists(Path.Combine(candidate, "StructGen.Gpu.Tests.csproj")))
            {
                return Path.Combine(candidate, "Snapshots");
            }
        }
        throw new InvalidOperationException($"Cannot find the test project's folder from '{thisFile}' or '{AppContext.BaseDirectory}'.");
    }

    public static void Verify(string test, IEnumerable<(string HintName, string Text)> sources)
    {
        string folder = Path.Combine(Root(), test);
        var problems = new StringBuilder();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string hintName, string text) in sources)
        {
            string stem = hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;
            string verified = Path.Combine(folder, stem + ".verified.cs");
            string received = Path.Combine(folder, stem + ".received.cs");
            expected.Add(Path.GetFileName(verified));
            string actual = Normalize(text);
            if (Accepting)
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(verified, actual, new UTF8Encoding(false));
                File.Delete(received);
                continue;
            }
            string? baseline = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
            if (baseline == actual)
            {
                File.Delete(received);
                continue;
            }
            Directory.CreateDirectory(folder);
            File.WriteAllText(received, actual, new UTF8Encoding(false));
            problems.Append('\n').Append(baseline is null
                ? $"New output {received} has no baseline {verified}."
                : $"{verified} differs from {received}:\n{FirstDifference(baseline, actual)}");
        }
        if (Directory.Exists(folder))
        {
            foreach (string stale in Directory.GetFiles(folder, "*.verified.cs").Where(f => !expected.Contains(Path.GetFileName(f))))
            {
                if (Accepting)
                {
                    File.Delete(stale);
                }
                else
                {
                    problems.Append($"\nBaseline {stale} matches no generated source.");
                }
            }
        }
        if (problems.Length > 0)
        {
            Assert.Fail($"Generated ILGPU code of '{test}' differs from its baseline.{problems}\n"
                + $"If the change is intended: {AcceptVariable}=1 dotnet test tests/StructGen.Gpu.Tests --filter FullyQualifiedName~GpuSnapshotTests, and commit the baselines.");
        }
    }

    public static string Normalize(string text)
    {
        string lf = text.Replace("\r\n", "\n");
        return lf.EndsWith('\n') ? lf : lf + "\n";
    }

    /// <summary>The first differing line with a few lines of context on each side.</summary>
    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i]) i++;
        var text = new StringBuilder();
        for (int j = Math.Max(0, i - 3); j < Math.Min(Math.Max(e.Length, a.Length), i + 4); j++)
        {
            if (j < e.Length && (j >= a.Length || e[j] != a[j])) text.Append($"- {j + 1}: {e[j]}\n");
            if (j < a.Length && (j >= e.Length || e[j] != a[j])) text.Append($"+ {j + 1}: {a[j]}\n");
            if (j < e.Length && j < a.Length && e[j] == a[j]) text.Append($"  {j + 1}: {e[j]}\n");
        }
        return text.ToString();
    }
}
