using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using StructGen.Serialization.Pickle;

namespace StructGen.Serialization.Torch;

/// <summary>
/// The allow list for a torch.save state dict, and what each allowed name means here:
/// <list type="bullet">
/// <item><c>collections.OrderedDict()</c> → an empty <see cref="PickleDict"/>; BUILD may then set its
/// <c>_metadata</c>.</item>
/// <item>persistent id <c>('storage', torch.XStorage, key, location, numel)</c> → the
/// <see cref="TorchStorage"/> of record <c>data/key</c>, checked against the record's size and shared by
/// every tensor naming that key.</item>
/// <item><c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])</c>
/// → a <see cref="TorchTensorRecord"/>; <c>_rebuild_parameter(_with_state)</c> → that tensor.</item>
/// </list>
/// Every other global is refused by name; nothing is ever imported or run.
/// </summary>
internal sealed class TorchPickleEnvironment : IPickleEnvironment
{
    private readonly TorchArchive _archive;
    private readonly bool _bigEndian;
    private readonly Dictionary<string, TorchStorage> _storages = new(System.StringComparer.Ordinal);

    public TorchPickleEnvironment(TorchArchive archive, bool bigEndian)
    {
        _archive = archive;
        _bigEndian = bigEndian;
    }

    public object ResolveGlobal(string module, string name) =>
        TorchGlobal.Find(module, name)
        ?? throw new InvalidDataException(
            $"global '{UntrustedText.Quote(module)}.{UntrustedText.Quote(name)}' is not allowed. A state dict needs only collections.OrderedDict, " +
            "torch._utils._rebuild_tensor_v2 / _rebuild_parameter and torch.*Storage; this reader never imports or runs anything else. " +
            "Save model.state_dict() (tensors only), or convert the file to safetensors.");

    public object? Call(object? callable, PickleTuple arguments)
    {
        if (callable is not TorchGlobal global || global.Kind == TorchGlobalKind.StorageType)
        {
            throw new InvalidDataException($"REDUCE calls a {PickleValue.TypeName(callable)}, which is not callable here.");
        }
        switch (global.Kind)
        {
            case TorchGlobalKind.OrderedDict:
                if (arguments.Count != 0)
                {
                    throw new InvalidDataException($"collections.OrderedDict is called with {arguments.Count} arguments; torch.save passes none.");
                }
                return new PickleDict();
            case TorchGlobalKind.RebuildTensorV2:
                return RebuildTensor(arguments);
            case TorchGlobalKind.RebuildParameter:
            case TorchGlobalKind.RebuildParameterWithState:
                int expected = global.Kind == TorchGlobalKind.RebuildParameter ? 3 : 4;
                if (arguments.Count != expected || arguments[0] is not TorchTensorRecord tensor || arguments[1] is not bool)
                {
                    throw new InvalidDataException($"{global} expects (tensor, requires_grad, hooks{(expected == 4 ? ", state" : "")}).");
                }
                return tensor;
            default:
                throw new InvalidDataException($"{global} is not callable.");
        }
    }

    public void Build(object? target, object? state)
    {
        // OrderedDict.__reduce__ passes the instance __dict__ (torch's state_dict() sets _metadata there).
        if (target is PickleDict dict && dict.Attributes is null && state is PickleDict attributes)
        {
            dict.Attributes = attributes;
            return;
        }
        throw new InvalidDataException($"BUILD sets a {PickleValue.TypeName(state)} on a {PickleValue.TypeName(target)}; only an OrderedDict's attribute dict is read.");
    }

    public object PersistentLoad(object? persistentId)
    {
        if (persistentId is not PickleTuple { Count: 5 } id
            || id[0] is not "storage"
            || id[1] is not TorchGlobal { Kind: TorchGlobalKind.StorageType } type
            || id[2] is not string key
            || id[3] is not string
            || id[4] is not long numel
            || numel < 0)
        {
            throw new InvalidDataException("a persistent id is not ('storage', torch.XStorage, key, location, numel).");
        }
        if (_storages.TryGetValue(key, out TorchStorage? known))
        {
            if (known.DType != type.StorageDType || known.ElementCount != numel)
            {
                throw new InvalidDataException(
                    $"storage data/{UntrustedText.Quote(key)} is named as {known.DType} × {known.ElementCount} and as {type.StorageDType} × {numel}.");
            }
            return known;
        }
        if (key.Length == 0 || key.Contains('/'))
        {
            throw new InvalidDataException($"storage key '{UntrustedText.Quote(key)}' is not a record name.");
        }
        ZipArchiveEntry entry = _archive.Find("data/" + key)
            ?? throw new InvalidDataException($"storage '{_archive.Name}/data/{UntrustedText.Quote(key)}' is named in data.pkl but missing from the zip.");
        int size = type.StorageDType.Size();
        if (numel > TensorShape.MaxElements || numel * size != entry.Length)
        {
            throw new InvalidDataException(
                $"storage data/{UntrustedText.Quote(key)} declares {numel} elements of {type} ({(numel > TensorShape.MaxElements ? "too many" : (numel * size).ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes) but its record holds {entry.Length} bytes.");
        }
        var storage = new TorchStorage(key, type.StorageDType, numel, entry, _bigEndian);
        _storages.Add(key, storage);
        return storage;
    }

    private static TorchTensorRecord RebuildTensor(PickleTuple a)
    {
        if (a.Count is not (6 or 7)
            || a[0] is not TorchStorage storage
            || a[1] is not long offset
            || a[2] is not PickleTuple sizes
            || a[3] is not PickleTuple strides
            || a[4] is not bool
            || a[5] is not PickleDict)
        {
            throw new InvalidDataException(
                "torch._utils._rebuild_tensor_v2 expects (storage, storage_offset, size tuple, stride tuple, requires_grad, backward_hooks[, metadata]); " +
                $"got ({string.Join(", ", System.Linq.Enumerable.Select(a.Items, PickleValue.TypeName))}).");
        }
        return TorchTensorRecord.Create(storage, offset, Integers(sizes, "size"), Integers(strides, "stride"));
    }

    private static long[] Integers(PickleTuple tuple, string what)
    {
        if (tuple.Count > TorchTensorRecord.MaxRank)
        {
            throw new InvalidDataException($"a tensor {what} tuple has {tuple.Count} entries; at most {TorchTensorRecord.MaxRank} are read.");
        }
        var values = new long[tuple.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = tuple[i] as long? ?? throw new InvalidDataException($"a tensor {what} holds a {PickleValue.TypeName(tuple[i])}, not an int.");
        }
        return values;
    }
}
