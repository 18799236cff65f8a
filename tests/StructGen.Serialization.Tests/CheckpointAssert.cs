using System;
using System.Collections.Generic;
using System.IO;

namespace StructGen.Serialization.Tests;

internal static class CheckpointAssert
{
    /// <summary>Opens the file and reads every tensor; returns the values by name.</summary>
    public static Dictionary<string, float[]> ReadAll(string path)
    {
        using Checkpoint checkpoint = Checkpoint.Open(path);
        var values = new Dictionary<string, float[]>();
        foreach (KeyValuePair<string, CheckpointTensor> pair in checkpoint)
        {
            values.Add(pair.Key, pair.Value.ToFloatArray());
        }
        return values;
    }

    /// <summary>Opening the file or reading one of its tensors fails with an InvalidDataException naming the file and containing <paramref name="fragment"/>.</summary>
    public static InvalidDataException Refuses(string path, string fragment)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => ReadAll(path));
        Assert.True(e.Message.Contains(Path.GetFullPath(path), StringComparison.Ordinal), "the file is not named in: " + e.Message);
        Assert.True(e.Message.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' is not in: {e.Message}");
        return e;
    }

    public static void BitsEqual(float expected, float actual, string because = "")
    {
        if (float.IsNaN(expected))
        {
            Assert.True(float.IsNaN(actual), $"expected NaN, got {actual} {because}");
            return;
        }
        Assert.True(
            BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"expected {expected:R} (0x{BitConverter.SingleToInt32Bits(expected):x8}), got {actual:R} (0x{BitConverter.SingleToInt32Bits(actual):x8}) {because}");
    }
}
