using System.IO.Compression;

namespace StructGen.Serialization.Torch;

/// <summary>
/// One storage of a torch.save archive (record <c>data/&lt;key&gt;</c>): a flat run of elements that one or
/// more tensors view. Its declared element count has been checked against the record's size.
/// </summary>
internal sealed class TorchStorage
{
    public TorchStorage(string key, TensorDType dtype, long elementCount, ZipArchiveEntry entry, bool bigEndian)
    {
        Key = key;
        DType = dtype;
        ElementCount = elementCount;
        Entry = entry;
        BigEndian = bigEndian;
    }

    public string Key { get; }

    public TensorDType DType { get; }

    public long ElementCount { get; }

    public ZipArchiveEntry Entry { get; }

    /// <summary>True when the archive's <c>byteorder</c> record says <c>big</c>.</summary>
    public bool BigEndian { get; }

    public override string ToString() => $"storage data/{Key}";
}
