using System;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace StructGen.Package.Tests;

/// <summary>
/// Packs the StructGen package into the local feed (artifacts/packages, listed in NuGet.config), then
/// builds and runs the QuickStart sample as a fresh project outside the repository that references
/// only the .nupkg: the generator must run from the package with no other step.
/// </summary>
public class PackageTests
{
    [Fact]
    public void QuickStart_builds_and_runs_against_the_packed_nupkg()
    {
        string root = RepositoryLayout.Root();
        string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        string feed = Path.Combine(root, "artifacts", "packages");

        (int packCode, string packOutput) = DotnetCli.Run(root, "pack", "src/StructGen/StructGen.csproj", "-c", "Release", "-o", feed, "-p:Version=" + version);
        Assert.True(packCode == 0, "dotnet pack failed:\n" + packOutput);

        string nupkg = Path.Combine(feed, $"StructGen.{version}.nupkg");
        using (ZipArchive archive = ZipFile.OpenRead(nupkg))
        {
            string[] entries = archive.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net10.0/StructGen.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/StructGen.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/StructGen.Analyzers.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/StructGen.CodeFixes.dll", entries);
            Assert.Contains("build/StructGen.props", entries);
        }

        // A fresh project: the sample's sources and project file, the repository's NuGet.config with the
        // feed made absolute, and a private packages folder so no cached copy of StructGen is used.
        string work = Path.Combine(Path.GetTempPath(), "structgen-package-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            foreach (string file in Directory.GetFiles(Path.Combine(root, "samples", "QuickStart")).Where(f => f.EndsWith(".cs") || f.EndsWith(".csproj")))
            {
                File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
            }
            string config = File.ReadAllText(Path.Combine(root, "NuGet.config")).Replace("value=\"artifacts/packages\"", $"value=\"{feed}\"");
            File.WriteAllText(Path.Combine(work, "NuGet.config"), config);

            (int buildCode, string buildOutput) = DotnetCli.Run(work, "build", "-c", "Release",
                "-p:UseStructGenPackage=true", "-p:StructGenVersion=" + version, "-p:RestorePackagesPath=" + Path.Combine(work, "packages"));
            Assert.True(buildCode == 0, "building against the package failed:\n" + buildOutput);
            // An analyzer the compiler refuses to load is only a warning: make it fail here.
            Assert.DoesNotContain("CS8034", buildOutput); // analyzer assembly could not be loaded
            Assert.DoesNotContain("CS9057", buildOutput); // analyzer built against a newer compiler
            Assert.DoesNotContain("CS8032", buildOutput); // analyzer instance could not be created

            string dll = Directory.GetFiles(Path.Combine(work, "bin"), "QuickStart.dll", SearchOption.AllDirectories).Single();
            (int runCode, string runOutput) = DotnetCli.Run(work, dll);
            Assert.True(runCode == 0, "QuickStart failed:\n" + runOutput);
            Assert.Contains("All layers agree with their dense reconstruction.", runOutput);
            Assert.Contains("FfnUp", runOutput);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            File.Delete(nupkg);
        }
    }
}
