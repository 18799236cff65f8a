using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using StructGen.Serialization.Pickle;

namespace StructGen.Serialization.Torch;

/// <summary>
/// Reads a torch.save file of PyTorch ≥ 1.6: a zip whose <c>&lt;archive&gt;/data.pkl</c> pickles the state
/// dict, with each storage's bytes in <c>&lt;archive&gt;/data/&lt;key&gt;</c>, plus optional
/// <c>byteorder</c> (<c>little</c>/<c>big</c>, absent before PyTorch 2.1 and then little) and
/// <c>version</c> records. The pickle is read by <see cref="RestrictedUnpickler"/> with the allow list of
/// <see cref="TorchPickleEnvironment"/>; every storage and view is validated here, the bytes are read later.
/// </summary>
internal static class TorchZipReader
{
    /// <summary>Largest data.pkl read; it describes structure only (tens of bytes per tensor).</summary>
    public const int MaxPickleBytes = 64 << 20;

    private const int MaxSmallRecordBytes = 64;

    public static Checkpoint Read(string path, FileStream stream)
    {
        var archive = new TorchArchive(stream);
        try
        {
            bool bigEndian = ReadByteOrder(archive);
            CheckVersion(archive, "version");
            CheckVersion(archive, ".data/version");
            byte[] pickle = archive.ReadRecord("data.pkl", MaxPickleBytes)!;

            object? root = RestrictedUnpickler.Load(pickle, new TorchPickleEnvironment(archive, bigEndian));
            List<KeyValuePair<string, TorchTensorRecord>> records = StateDictFlattener.Flatten(root);

            var tensors = new List<KeyValuePair<string, CheckpointTensor>>(records.Count);
            foreach (KeyValuePair<string, TorchTensorRecord> r in records)
            {
                var source = new TorchTensorSource(archive, r.Value, r.Key, path);
                tensors.Add(new(r.Key, new CheckpointTensor(r.Value.Storage.DType, r.Value.Sizes, r.Value.ElementCount, source)));
            }
            return new Checkpoint(path, CheckpointFormat.TorchZip, tensors, null, archive);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static bool ReadByteOrder(TorchArchive archive)
    {
        byte[]? bytes = archive.ReadRecord("byteorder", MaxSmallRecordBytes);
        if (bytes is null)
        {
            return false;
        }
        return Encoding.ASCII.GetString(bytes) switch
        {
            "little" => false,
            "big" => true,
            string other => throw new InvalidDataException($"record 'byteorder' says '{UntrustedText.Quote(other)}', not 'little' or 'big'."),
        };
    }

    private static void CheckVersion(TorchArchive archive, string name)
    {
        byte[]? bytes = archive.ReadRecord(name, MaxSmallRecordBytes);
        if (bytes is not null && !int.TryParse(Encoding.ASCII.GetString(bytes).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidDataException($"record '{name}' is not a version number.");
        }
    }
}
