using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace StructGen.Package.Tests;

/// <summary>Finds the repository root (the folder with StructGen.sln) from this source file's location.</summary>
internal static class RepositoryLayout
{
    public static string Root([CallerFilePath] string file = "")
    {
        for (string? dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "StructGen.sln")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException("StructGen.sln not found above " + file);
    }
}
