using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using StructGen.Serialization.Tests.Formats;
using Xunit.Abstractions;

namespace StructGen.Serialization.Tests;

/// <summary>
/// Mutated and truncated files of both formats, from fixed seeds: every outcome must be a successful read or
/// an <see cref="InvalidDataException"/> — never another exception type, a hang or a crash.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    /// <summary>6,000 per format by default; set STRUCTGEN_FUZZ_FILES_PER_FORMAT for a longer run (the time limit then does not apply).</summary>
    private static readonly int FilesPerFormat =
        int.TryParse(Environment.GetEnvironmentVariable("STRUCTGEN_FUZZ_FILES_PER_FORMAT"), out int n) && n > 0 ? n : 6000;

    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;
    private readonly string _folder;

    public FuzzTests(ITestOutputHelper output)
    {
        _output = output;
        // tmpfs where there is one: on a disk, writing 12,000 small files dominates the run.
        _folder = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "structgen-fuzz-" + Guid.NewGuid().ToString("N")) : _dir.Path;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        if (_folder != _dir.Path)
        {
            Directory.Delete(_folder, recursive: true);
        }
        _dir.Dispose();
    }

    [Fact]
    public void Twelve_thousand_mutated_files_only_ever_fail_with_InvalidDataException()
    {
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        var unexpected = new List<string>();
        string path = Path.Combine(_folder, "fuzz.bin");

        byte[][] safetensorsSeeds = [RichSafetensors(), new SafetensorsBytes().F32("w", [1], 1f).Build()];
        TorchSaveFile[] torchSeeds = [RichTorch(), NestedTorch()];
        int pickleReached = 0;

        for (int i = 0; i < 2 * FilesPerFormat; i++)
        {
            var random = new Random(i);
            bool torch = i % 2 == 1;
            byte[] file = torch
                ? MutateTorch(torchSeeds[random.Next(torchSeeds.Length)], random)
                : MutateSafetensors(safetensorsSeeds[random.Next(safetensorsSeeds.Length)], random);
            File.WriteAllBytes(path, file);

            string outcome;
            try
            {
                using Checkpoint c = Checkpoint.Open(path);
                foreach (KeyValuePair<string, CheckpointTensor> pair in c)
                {
                    if (pair.Value.ElementCount <= 1 << 20)
                    {
                        pair.Value.ToFloatArray();
                    }
                }
                outcome = "success";
            }
            catch (InvalidDataException e)
            {
                outcome = nameof(InvalidDataException);
                if (!e.Message.Contains(path, StringComparison.Ordinal))
                {
                    unexpected.Add($"seed {i}: message does not name the file: {e.Message}");
                }
                pickleReached += e.Message.Contains("pickle byte", StringComparison.Ordinal) ? 1 : 0;
            }
#pragma warning disable CA1031 // the point is to catch every other type
            catch (Exception e)
#pragma warning restore CA1031
            {
                outcome = e.GetType().FullName!;
                unexpected.Add($"seed {i} ({(torch ? "torch" : "safetensors")}): {e}");
            }
            string key = (torch ? "torch " : "safetensors ") + outcome;
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        clock.Stop();

        foreach (var (key, count) in outcomes.OrderBy(p => p.Key))
        {
            _output.WriteLine($"{key}: {count}");
        }
        _output.WriteLine($"pickle-level refusals: {pickleReached}; elapsed {clock.Elapsed.TotalSeconds:F1} s");

        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Take(5)));
        Assert.Equal(2 * FilesPerFormat, outcomes.Values.Sum());
        // The mutations must exercise both paths: some files still load, many are refused, and many reach the unpickler.
        Assert.True(outcomes.GetValueOrDefault("safetensors success") > 100, "too few safetensors mutants load");
        Assert.True(outcomes.GetValueOrDefault("torch success") > 100, "too few torch mutants load");
        Assert.True(outcomes.GetValueOrDefault("safetensors InvalidDataException") > 1000);
        Assert.True(outcomes.GetValueOrDefault("torch InvalidDataException") > 1000);
        Assert.True(pickleReached > 500, $"only {pickleReached} mutants were refused by the unpickler");
        Assert.True(FilesPerFormat != 6000 || clock.Elapsed < TimeSpan.FromSeconds(30), $"fuzzing took {clock.Elapsed}");
    }

    private static byte[] RichSafetensors()
    {
        var half = new byte[8];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(half.AsSpan(2 * i), (ushort)(0x3C00 + i));
        }
        return new SafetensorsBytes()
            .Metadata("format", "pt")
            .F32("layers.0.weight", [2, 3], 1, 2, 3, 4, 5, 6)
            .Tensor("layers.0.h", "F16", [4], half)
            .Tensor("layers.0.bf", "BF16", [2, 2], [0x80, 0x3F, 0x00, 0x40, 0x40, 0x40, 0x80, 0x40])
            .Tensor("steps", "I64", [1], BitConverter.GetBytes(5L))
            .Build();
    }

    private static TorchSaveFile RichTorch() => new TorchSaveFile()
        .AddFloatStorage("0", Enumerable.Range(0, 12).Select(i => (float)i).ToArray())
        .AddTensor("w", "0", 0, [3, 4], [4, 1])
        .AddTensor("wt", "0", 0, [4, 3], [1, 4])
        .AddTensor("row", "0", 4, [4], [1], parameter: true)
        .AddStorage("1", "HalfStorage", [0x00, 0x3C, 0x00, 0x40], 2)
        .AddTensor("h", "1", 0, [2], [1])
        .AddStorage("2", "BFloat16Storage", [0x80, 0x3F], 1)
        .AddTensor("bf", "2", 0, [], []);

    private static TorchSaveFile NestedTorch() => new TorchSaveFile { Ordered = false, ByteOrder = null }
        .AddFloatStorage("0", 1, 2, 3)
        .Add("epoch", 3)
        .Add("model", new Dictionary<string, object> { ["a"] = new TorchSaveFile.Tensor("0", 1, [2], [1]) })
        .Add("list", new List<object> { new TorchSaveFile.Tensor("0", 0, [3], [1]), "x" });

    private static byte[] MutateSafetensors(byte[] seed, Random random)
    {
        if (random.Next(3) == 0)
        {
            // Edit the JSON text and keep the length prefix consistent, so the header parser and validator see it.
            int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(seed);
            byte[] header = MutateText(seed.AsSpan(8, n).ToArray(), random);
            byte[] data = seed.AsSpan(8 + n).ToArray();
            if (random.Next(4) == 0)
            {
                data = Bytes(data, random);
            }
            return WithHeader(header, data);
        }
        return Bytes(seed, random);
    }

    private static byte[] WithHeader(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    private static byte[] MutateTorch(TorchSaveFile seed, Random random)
    {
        int mode = random.Next(3);
        if (mode == 0)
        {
            return Bytes(seed.Build(), random);
        }
        // Mutate data.pkl (or a storage) and re-zip with a correct CRC, so the unpickler and view checks see the damage.
        var copy = Clone(seed);
        if (mode == 1)
        {
            copy.PickleOverride = Bytes(seed.BuildPickle(), random);
        }
        else
        {
            copy.PickleOverride = Opcodes(seed.BuildPickle(), random);
        }
        if (random.Next(5) == 0)
        {
            copy.ExtraEntries.Add(new("archive/data/0", Bytes(TorchZipReaderTests.Floats(1, 2, 3, 4), random)));
        }
        return copy.Build();
    }

    private static TorchSaveFile Clone(TorchSaveFile seed) =>
        seed.ByteOrder is null ? NestedTorch() : RichTorch();

    /// <summary>Generic byte-level damage: truncation, overwrites, bit flips, interesting integers, insertions, deletions.</summary>
    private static byte[] Bytes(byte[] seed, Random random)
    {
        byte[] file = (byte[])seed.Clone();
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds && file.Length > 0; r++)
        {
            switch (random.Next(7))
            {
                case 0:
                    return file.AsSpan(0, random.Next(file.Length)).ToArray();
                case 1:
                    file[random.Next(file.Length)] = (byte)random.Next(256);
                    break;
                case 2:
                    file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 3:
                {
                    long[] interesting = [0, 1, 255, 256, 65535, int.MaxValue, uint.MaxValue, long.MaxValue, -1, -2, file.Length, file.Length + 8];
                    int width = random.Next(2) == 0 ? 4 : 8;
                    if (file.Length >= width)
                    {
                        int at = random.Next(file.Length - width + 1);
                        long v = interesting[random.Next(interesting.Length)];
                        if (width == 4)
                        {
                            BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), (int)v);
                        }
                        else
                        {
                            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(at), v);
                        }
                    }
                    break;
                }
                case 4:
                {
                    int at = random.Next(file.Length + 1);
                    var insert = new byte[1 + random.Next(8)];
                    random.NextBytes(insert);
                    file = [.. file.AsSpan(0, at), .. insert, .. file.AsSpan(at)];
                    break;
                }
                case 5:
                {
                    int at = random.Next(file.Length);
                    int count = Math.Min(1 + random.Next(8), file.Length - at);
                    file = [.. file.AsSpan(0, at), .. file.AsSpan(at + count)];
                    break;
                }
                default:
                {
                    // duplicate a chunk (repeats structures: opcodes, JSON members, zip records)
                    int at = random.Next(file.Length);
                    int count = Math.Min(1 + random.Next(32), file.Length - at);
                    int to = random.Next(file.Length + 1);
                    byte[] chunk = file.AsSpan(at, count).ToArray();
                    file = [.. file.AsSpan(0, to), .. chunk, .. file.AsSpan(to)];
                    break;
                }
            }
        }
        return file;
    }

    /// <summary>JSON-aware damage: swap in structural characters, digits and signs.</summary>
    private static byte[] MutateText(byte[] text, Random random)
    {
        byte[] tokens = "{}[],:\"0123456789-e. "u8.ToArray();
        byte[] file = (byte[])text.Clone();
        int rounds = 1 + random.Next(3);
        for (int r = 0; r < rounds && file.Length > 0; r++)
        {
            int at = random.Next(file.Length);
            switch (random.Next(3))
            {
                case 0:
                    file[at] = tokens[random.Next(tokens.Length)];
                    break;
                case 1:
                    file = [.. file.AsSpan(0, at), tokens[random.Next(tokens.Length)], .. file.AsSpan(at)];
                    break;
                default:
                    file = [.. file.AsSpan(0, at), .. file.AsSpan(at + 1)];
                    break;
            }
        }
        return file;
    }

    /// <summary>Pickle-aware damage: replace an opcode byte with another real opcode, or small ints with edge values.</summary>
    private static byte[] Opcodes(byte[] pickle, Random random)
    {
        byte[] opcodes = "().0}]stuaeqhjrKJMXNRbQcG"u8.ToArray().Concat(new byte[] { 0x80, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x93, 0x94, 0x95, 0x81 }).ToArray();
        byte[] file = (byte[])pickle.Clone();
        int rounds = 1 + random.Next(3);
        for (int r = 0; r < rounds; r++)
        {
            int at = 2 + random.Next(file.Length - 2);
            file[at] = random.Next(3) == 0 ? (byte)random.Next(256) : opcodes[random.Next(opcodes.Length)];
        }
        return file;
    }
}
