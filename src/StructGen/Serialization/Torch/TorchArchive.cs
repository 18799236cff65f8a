using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace StructGen.Serialization.Torch;

/// <summary>
/// The zip container <c>torch.save</c> writes: every record under one folder (<c>&lt;archive&gt;/data.pkl</c>,
/// <c>&lt;archive&gt;/data/0</c>, …, <c>&lt;archive&gt;/byteorder</c>, <c>&lt;archive&gt;/version</c>), stored
/// uncompressed. Records are looked up by their name inside that folder. The archive stays open for the
/// checkpoint's lifetime so storages can be read on demand; reads are serialized by one lock.
/// </summary>
internal sealed class TorchArchive : IDisposable
{
    /// <summary>Most entries accepted; a state dict has one per storage plus a handful.</summary>
    public const int MaxEntries = 1 << 20;

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _records = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _disposed;

    public TorchArchive(Stream stream)
    {
        _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        try
        {
            IReadOnlyCollection<ZipArchiveEntry> entries = _zip.Entries;
            if (entries.Count > MaxEntries)
            {
                throw new InvalidDataException($"the zip has {entries.Count} entries; at most {MaxEntries} are read.");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in entries)
            {
                if (!seen.Add(entry.FullName))
                {
                    throw new InvalidDataException($"the zip has two entries named '{UntrustedText.Quote(entry.FullName)}'.");
                }
            }
            Name = FindArchiveName(entries);
            string prefix = Name + "/";
            foreach (ZipArchiveEntry entry in entries)
            {
                if (entry.FullName.StartsWith(prefix, StringComparison.Ordinal))
                {
                    _records.Add(entry.FullName.Substring(prefix.Length), entry);
                }
            }
        }
        catch
        {
            _zip.Dispose();
            throw;
        }
    }

    /// <summary>The archive folder (torch uses the file's stem, or <c>archive</c> in recent versions).</summary>
    public string Name { get; }

    /// <summary>The record <paramref name="name"/> (e.g. <c>data/0</c>), or null.</summary>
    public ZipArchiveEntry? Find(string name) => _records.GetValueOrDefault(name);

    /// <summary>Reads a whole small record, refusing one larger than <paramref name="maxBytes"/>; null when absent.</summary>
    public byte[]? ReadRecord(string name, int maxBytes)
    {
        ZipArchiveEntry? entry = Find(name);
        if (entry is null)
        {
            return null;
        }
        if (entry.Length > maxBytes)
        {
            throw new InvalidDataException($"record '{Name}/{name}' declares {entry.Length} bytes; at most {maxBytes} are read.");
        }
        var bytes = new byte[entry.Length];
        using ZipEntryCursor cursor = OpenRecord(entry);
        cursor.ReadExactly(bytes);
        cursor.Finish();
        return bytes;
    }

    /// <summary>Opens a record for a checked sequential read; holds the archive lock until disposed.</summary>
    public ZipEntryCursor OpenRecord(ZipArchiveEntry entry)
    {
        lock (_gate) // the cursor takes the (reentrant) lock again and keeps it, so Dispose cannot slip in between
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ZipEntryCursor.Open(entry, _gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _zip.Dispose();
        }
    }

    private static string FindArchiveName(IReadOnlyCollection<ZipArchiveEntry> entries)
    {
        string? name = null;
        bool torchScript = false;
        foreach (ZipArchiveEntry entry in entries)
        {
            string full = entry.FullName;
            int slash = full.IndexOf('/');
            if (slash > 0 && full.AsSpan(slash + 1).SequenceEqual("data.pkl"))
            {
                if (name is not null)
                {
                    throw new InvalidDataException($"the zip holds two archives ('{UntrustedText.Quote(name)}' and '{UntrustedText.Quote(full[..slash])}'); torch.save writes one.");
                }
                name = full[..slash];
            }
            torchScript |= full.EndsWith("/constants.pkl", StringComparison.Ordinal) || full.Contains("/code/", StringComparison.Ordinal);
        }
        return name ?? throw new InvalidDataException(torchScript
            ? "it is a TorchScript archive (torch.jit.save), not a torch.save state dict; save model.state_dict() with torch.save or safetensors instead."
            : "the zip has no '<archive>/data.pkl' entry, so it is not a torch.save file.");
    }
}
