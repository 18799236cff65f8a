using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using StructGen.Serialization.Safetensors;
using StructGen.Serialization.Torch;

namespace StructGen.Serialization;

/// <summary>
/// A state dict: tensor names mapped to tensors, read from a <c>.safetensors</c> file or a <c>torch.save</c>
/// file (<c>.pt</c>, <c>.bin</c>, zip format of PyTorch ≥ 1.6), or held in memory.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Open"/> picks the format from the file's first bytes, validates the whole structure (header,
/// offsets, pickle, storages, views) and keeps the file open; tensor data is read when asked for, so dispose
/// the checkpoint once its tensors are read. Every problem with the file's content surfaces as an
/// <see cref="InvalidDataException"/> naming the file.
/// </para>
/// <para>
/// The torch reader never runs code: it understands the few pickle opcodes and globals a state dict is made
/// of (<c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c>, <c>_rebuild_parameter</c>,
/// <c>torch.*Storage</c>) and refuses anything else. Tensors in nested dicts and lists are named by their
/// path joined with dots (<c>{"model": {"fc.weight": t}}</c> gives <c>model.fc.weight</c>); other values
/// (numbers, strings, …) are skipped.
/// </para>
/// <para>Enumeration follows the file's order.</para>
/// </remarks>
public sealed class Checkpoint : IReadOnlyDictionary<string, CheckpointTensor>, IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly List<KeyValuePair<string, CheckpointTensor>> _ordered;
    private readonly Dictionary<string, CheckpointTensor> _byName;
    private readonly IDisposable? _resource;

    internal Checkpoint(
        string? path,
        CheckpointFormat format,
        List<KeyValuePair<string, CheckpointTensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata,
        IDisposable? resource)
    {
        Path = path;
        Format = format;
        _ordered = tensors;
        _byName = new Dictionary<string, CheckpointTensor>(tensors.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, CheckpointTensor> pair in tensors)
        {
            if (!_byName.TryAdd(pair.Key, pair.Value))
            {
                throw new InvalidDataException($"two tensors are named '{pair.Key}'.");
            }
        }
        Metadata = metadata ?? NoMetadata;
        _resource = resource;
    }

    /// <summary>Full path of the file this checkpoint was read from; <see langword="null"/> for one held in memory.</summary>
    public string? Path { get; }

    /// <summary>The format of the file, chosen by its content.</summary>
    public CheckpointFormat Format { get; }

    /// <summary>The safetensors <c>__metadata__</c> (string to string); empty for other formats.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Number of tensors.</summary>
    public int Count => _ordered.Count;

    /// <summary>Tensor names, in file order.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            foreach (KeyValuePair<string, CheckpointTensor> pair in _ordered)
            {
                yield return pair.Key;
            }
        }
    }

    /// <summary>Tensors, in file order.</summary>
    public IEnumerable<CheckpointTensor> Values
    {
        get
        {
            foreach (KeyValuePair<string, CheckpointTensor> pair in _ordered)
            {
                yield return pair.Value;
            }
        }
    }

    /// <summary>The tensor named <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public CheckpointTensor this[string key] =>
        _byName.TryGetValue(key, out CheckpointTensor? tensor)
            ? tensor
            : throw new KeyNotFoundException($"No tensor named '{key}' in {Describe()}.");

    /// <summary>Opens a checkpoint, choosing safetensors or torch.save zip by the file's content.</summary>
    /// <param name="path">A <c>.safetensors</c>, <c>.pt</c>, <c>.pth</c> or <c>.bin</c> file; the extension is not consulted.</param>
    /// <returns>The state dict; dispose it to close the file.</returns>
    /// <exception cref="InvalidDataException">The content is truncated, corrupted, hostile, or in a format this reader does not read; the message names the file and the problem.</exception>
    /// <exception cref="FileNotFoundException">There is no such file (other errors opening it pass through too).</exception>
    public static Checkpoint Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.RandomAccess);
        try
        {
            CheckpointFormat format = CheckpointFormatSniffer.Detect(stream.SafeFileHandle);
            return format == CheckpointFormat.Safetensors
                ? SafetensorsReader.Read(fullPath, stream)
                : TorchZipReader.Read(fullPath, stream);
        }
        catch (Exception e)
        {
            stream.Dispose();
            throw new InvalidDataException($"Cannot open checkpoint '{fullPath}': {e.Message}", e);
        }
    }

    /// <summary>Makes an in-memory checkpoint from named tensors (which may come from other checkpoints).</summary>
    /// <exception cref="ArgumentException">A name is null, repeated, <c>__metadata__</c> or not valid Unicode (the names a safetensors file can hold).</exception>
    public static Checkpoint FromTensors(IEnumerable<KeyValuePair<string, CheckpointTensor>> tensors)
    {
        List<KeyValuePair<string, CheckpointTensor>> list = SafetensorsWriter.Validate(tensors, nameof(tensors));
        return new Checkpoint(null, CheckpointFormat.InMemory, list, null, null);
    }

    /// <summary>
    /// Writes tensors as a float32 <c>.safetensors</c> file that <c>safetensors.torch.load_file</c> reads:
    /// header padded with spaces to 8-byte alignment, tensors sorted by name. The file is replaced atomically:
    /// the bytes go to a temporary file in the same folder, are flushed, then moved over <paramref name="path"/>;
    /// if anything fails the old file is left as it was and the temporary file is removed.
    /// </summary>
    /// <param name="path">Destination; overwritten.</param>
    /// <param name="tensors">Named tensors; any <see cref="TensorDType"/> is converted to float32. A <see cref="Checkpoint"/> works here.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> (e.g. <c>{"format": "pt"}</c>, which Hugging Face loaders check).</param>
    /// <exception cref="ArgumentException">A name is null, repeated, <c>__metadata__</c> or not valid Unicode; a metadata value is null.</exception>
    /// <exception cref="InvalidDataException">A tensor taken from another checkpoint could not be read.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, CheckpointTensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        List<KeyValuePair<string, CheckpointTensor>> list = SafetensorsWriter.Validate(tensors, nameof(tensors));
        SafetensorsWriter.ValidateMetadata(metadata, nameof(metadata));
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, list, metadata));
    }

    /// <summary>Saves a layer's parameter tensors under their names (<see cref="ParameterTensor.Name"/>) as float32 safetensors, atomically (see <see cref="Save(string, IEnumerable{KeyValuePair{string, CheckpointTensor}}, IReadOnlyDictionary{string, string}?)"/>).</summary>
    /// <param name="path">Destination; overwritten.</param>
    /// <param name="layer">The layer; its values are copied bit for bit.</param>
    public static void Save(string path, IStructuredLinear layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        Save(path, layer.StateDict());
    }

    /// <summary>True when a tensor has that name.</summary>
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CheckpointTensor value) => _byName.TryGetValue(key, out value);

    /// <summary>Enumerates the tensors in file order.</summary>
    public IEnumerator<KeyValuePair<string, CheckpointTensor>> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Closes the file; tensors not yet read can no longer be read.</summary>
    public void Dispose() => _resource?.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"{Describe()}: {Count} tensors";

    private string Describe() => Path is null ? "in-memory checkpoint" : $"checkpoint '{Path}' ({Format})";
}
