using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Mnist;

/// <summary>
/// The standard MNIST files (LeCun's IDX format, optionally gzipped): <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>
/// (also spelled with a dot before <c>idx</c>). Big-endian header: magic <c>0x0803</c> (images) or
/// <c>0x0801</c> (labels), then the dimensions, then one byte per pixel or label.
/// </summary>
public static class IdxFiles
{
    /// <summary>Loads the training set and, when present, the <c>t10k</c> test set from <paramref name="folder"/>.</summary>
    public static (Digits Train, Digits? Test) Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"--data {folder}: no such folder.");
        Digits train = LoadPair(folder, "train") ?? throw new FileNotFoundException($"No train-images-idx3-ubyte / train-labels-idx1-ubyte (or .gz) in {folder}.");
        return (train, LoadPair(folder, "t10k"));
    }

    private static Digits? LoadPair(string folder, string prefix)
    {
        string? images = Find(folder, prefix + "-images");
        string? labels = Find(folder, prefix + "-labels");
        if (images is null || labels is null) return null;
        byte[] imageBytes = Read(images);
        byte[] labelBytes = Read(labels);
        int count = Header(imageBytes, 0x0803, images, out int offset, out int rows, out int columns);
        if (rows * columns != Digits.Pixels) throw new InvalidDataException($"{images}: images are {rows}×{columns}, not 28×28.");
        int labelCount = Header(labelBytes, 0x0801, labels, out int labelOffset, out _, out _);
        if (labelCount != count) throw new InvalidDataException($"{images} has {count} images but {labels} has {labelCount} labels.");
        if (imageBytes.Length < offset + (long)count * Digits.Pixels || labelBytes.Length < labelOffset + count)
        {
            throw new InvalidDataException($"{images} or {labels} is truncated.");
        }
        var pixels = new float[count * Digits.Pixels];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = imageBytes[offset + i] / 255f;
        var classes = new int[count];
        for (int i = 0; i < count; i++)
        {
            classes[i] = labelBytes[labelOffset + i];
            if (classes[i] > 9) throw new InvalidDataException($"{labels}: label {classes[i]} at {i}.");
        }
        return new Digits(pixels, classes);
    }

    private static string? Find(string folder, string stem)
        => Directory.EnumerateFiles(folder)
            .Where(f => Path.GetFileName(f).Replace('.', '-').StartsWith(stem + "-idx", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) // prefer the unpacked file
            .FirstOrDefault();

    private static byte[] Read(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(path);
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Checks the magic number and returns the item count; rows/columns for images.</summary>
    private static int Header(byte[] bytes, int magic, string path, out int offset, out int rows, out int columns)
    {
        int dimensions = magic & 0xFF;
        offset = 4 + 4 * dimensions;
        if (bytes.Length < offset || BinaryPrimitives.ReadInt32BigEndian(bytes) != magic)
        {
            throw new InvalidDataException($"{path}: not an IDX file with magic 0x{magic:X4}.");
        }
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        rows = dimensions == 3 ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8)) : 0;
        columns = dimensions == 3 ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12)) : 0;
        return count;
    }
}
