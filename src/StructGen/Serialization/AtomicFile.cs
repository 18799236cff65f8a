using System;
using System.IO;

namespace StructGen.Serialization;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same folder (so the final move
/// is a rename on the same volume), is flushed to disk, and only then takes the place of the old file. A
/// reader sees the old file or the new one, never half of one; a failed write leaves the old file alone.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        string name = Path.GetFileName(target);
        string temporary = Path.Combine(folder, $".{(name.Length > 100 ? name[..100] : name)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more; a stray temporary file is named so it is easy to spot.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
