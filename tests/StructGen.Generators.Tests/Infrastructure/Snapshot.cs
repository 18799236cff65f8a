using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

namespace StructGen.Generators.Tests.Infrastructure;

/// <summary>
/// Checked-in output baselines: <c>Snapshots/{Test}/{HintName}.verified.cs</c> (the hint's <c>.cs</c> dropped).
/// A mismatch writes <c>.received.cs</c> beside the baseline and fails with a unified diff; running with
/// <c>STRUCTGEN_ACCEPT_SNAPSHOTS=1</c> overwrites the baselines instead.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "STRUCTGEN_ACCEPT_SNAPSHOTS";

    public const string AcceptCommand = AcceptVariable + "=1 dotnet test tests/StructGen.Generators.Tests --filter FullyQualifiedName~SnapshotTests";

    /// <summary>Diff lines shown per file before the rest is elided (the .received.cs file has it all).</summary>
    private const int MaxDiffLines = 120;

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true";

    /// <summary>The source folder's <c>Snapshots/</c>, found from this file's path so it works from bin/.</summary>
    public static string Root([CallerFilePath] string thisFile = "")
    {
        string? fromSource = Path.GetDirectoryName(Path.GetDirectoryName(thisFile));
        if (fromSource is not null && File.Exists(Path.Combine(fromSource, "StructGen.Generators.Tests.csproj")))
        {
            return Path.Combine(fromSource, "Snapshots");
        }
        // A build with a path map (/_/…) hides the source path: walk up from the output folder instead.
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "StructGen.Generators.Tests");
            if (File.Exists(Path.Combine(candidate, "StructGen.Generators.Tests.csproj")))
            {
                return Path.Combine(candidate, "Snapshots");
            }
        }
        throw new InvalidOperationException($"Cannot find the test project's folder from '{thisFile}' or '{AppContext.BaseDirectory}'.");
    }

    /// <summary>Compares every generated source of <paramref name="test"/> to its baseline; fails once, listing every mismatch.</summary>
    public static void Verify(string test, IEnumerable<(string HintName, string Text)> sources)
        => Verify(Root(), test, sources, Accepting);

    /// <summary><see cref="Verify(string, IEnumerable{ValueTuple{string, string}})"/> against baselines under <paramref name="root"/>.</summary>
    public static void Verify(string root, string test, IEnumerable<(string HintName, string Text)> sources, bool accept)
    {
        string folder = Path.Combine(root, test);
        var problems = new StringBuilder();
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string hintName, string text) in sources)
        {
            string stem = hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;
            string verified = Path.Combine(folder, stem + ".verified.cs");
            string received = Path.Combine(folder, stem + ".received.cs");
            expectedFiles.Add(Path.GetFileName(verified));
            string actual = Normalize(text);

            if (accept)
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
            problems.Append('\n');
            if (baseline is null)
            {
                problems.Append($"New output {Relative(received)} has no baseline {Relative(verified)}.\n");
                continue;
            }
            string diff = LineDiff.Unified(baseline, actual, Relative(verified), Relative(received));
            string[] lines = diff.Split('\n');
            problems.Append(lines.Length <= MaxDiffLines
                ? diff
                : string.Join('\n', lines.Take(MaxDiffLines)) + $"\n… {lines.Length - MaxDiffLines} more diff lines; see {Relative(received)}\n");
        }

        // A baseline no output matches any more (a renamed layer, a changed hint name) is a failure too.
        if (Directory.Exists(folder))
        {
            foreach (string stale in Directory.GetFiles(folder, "*.verified.cs").Where(f => !expectedFiles.Contains(Path.GetFileName(f))))
            {
                if (accept)
                {
                    File.Delete(stale);
                }
                else
                {
                    problems.Append($"\nBaseline {Relative(stale)} matches no generated source.\n");
                }
            }
        }

        if (problems.Length > 0)
        {
            Assert.Fail($"Generated code of '{test}' differs from its baseline.\n{problems}\n"
                + $"If the change is intended, accept it: {AcceptCommand}\n"
                + "(or copy each .received.cs over its .verified.cs) and commit the baselines.");
        }
    }

    /// <summary>LF line ends and one final newline, so baselines compare the same on every OS and checkout.</summary>
    public static string Normalize(string text)
    {
        string lf = text.Replace("\r\n", "\n");
        return lf.EndsWith('\n') ? lf : lf + "\n";
    }

    /// <summary>A baseline's path from the repository root (the path to type when accepting by hand).</summary>
    private static string Relative(string path)
    {
        string project = Path.GetDirectoryName(Root())!;
        string relative = Path.GetRelativePath(project, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? path
            : Path.Combine("tests", "StructGen.Generators.Tests", relative).Replace('\\', '/');
    }
}
