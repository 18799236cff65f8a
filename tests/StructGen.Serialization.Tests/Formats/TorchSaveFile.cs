using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace StructGen.Serialization.Tests.Formats;

/// <summary>
/// Builds the bytes <c>torch.save(state_dict, path)</c> writes (PyTorch ≥ 1.6 zip format), emitting the same
/// opcode sequence CPython's pickler produces for torch's <c>__reduce_ex__</c> (checked against pickletools
/// output of PyTorch 1.13): an OrderedDict via REDUCE, each tensor as <c>_rebuild_tensor_v2</c> over a
/// persistent-id storage, SETITEMS batches, the <c>_metadata</c> BUILD, memoized globals and strings.
/// </summary>
internal sealed class TorchSaveFile
{
    private readonly Dictionary<string, Storage> _storages = [];
    private readonly List<KeyValuePair<string, object>> _items = [];

    public string ArchiveName { get; set; } = "archive";

    /// <summary>The root is an OrderedDict (as <c>model.state_dict()</c>); false for a plain dict.</summary>
    public bool Ordered { get; set; } = true;

    /// <summary>Adds <c>_metadata</c> (OrderedDict of per-module versions) through BUILD, as state_dict() does.</summary>
    public bool WithMetadata { get; set; } = true;

    /// <summary>Content of the <c>byteorder</c> record; null to leave it out (PyTorch before 2.1).</summary>
    public string? ByteOrder { get; set; } = "little";

    public string? Version { get; set; } = "3\n";

    /// <summary>Extra or replacement records (name inside the archive → entry), applied last.</summary>
    public List<ZipBytes.Entry> ExtraEntries { get; } = [];

    /// <summary>Replaces data.pkl entirely.</summary>
    public byte[]? PickleOverride { get; set; }

    public TorchSaveFile AddStorage(string key, string storageType, byte[] bytes, long numel)
    {
        _storages[key] = new Storage(storageType, bytes, numel);
        return this;
    }

    public TorchSaveFile AddFloatStorage(string key, params float[] values) =>
        AddStorage(key, "FloatStorage", values.SelectMany(v => SafetensorsBytes.LittleEndian(BitConverter.SingleToInt32Bits(v))).ToArray(), values.Length);

    public TorchSaveFile Add(string name, object value)
    {
        _items.Add(new(name, value));
        return this;
    }

    public TorchSaveFile AddTensor(string name, string key, long offset, long[] sizes, long[] strides, bool parameter = false) =>
        Add(name, new Tensor(key, offset, sizes, strides, parameter));

    /// <summary>A contiguous float tensor over its own new storage.</summary>
    public TorchSaveFile AddFloatTensor(string name, int[] shape, params float[] values)
    {
        string key = _storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AddFloatStorage(key, values);
        return AddTensor(name, key, 0, shape.Select(d => (long)d).ToArray(), ContiguousStrides(shape));
    }

    public static long[] ContiguousStrides(int[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= shape[d];
        }
        return strides;
    }

    public byte[] Build()
    {
        var zip = new ZipBytes();
        var entries = new List<ZipBytes.Entry> { new($"{ArchiveName}/data.pkl", PickleOverride ?? BuildPickle()) };
        if (ByteOrder is not null)
        {
            entries.Add(new($"{ArchiveName}/byteorder", Encoding.ASCII.GetBytes(ByteOrder)));
        }
        foreach (var (key, storage) in _storages)
        {
            entries.Add(new($"{ArchiveName}/data/{key}", storage.Bytes));
        }
        if (Version is not null)
        {
            entries.Add(new($"{ArchiveName}/version", Encoding.ASCII.GetBytes(Version)));
        }
        foreach (ZipBytes.Entry extra in ExtraEntries)
        {
            entries.RemoveAll(e => e.Name == extra.Name);
            entries.Add(extra);
        }
        foreach (ZipBytes.Entry e in entries)
        {
            zip.Add(e);
        }
        return zip.Build();
    }

    public byte[] BuildPickle()
    {
        var p = new Emitter(this);
        p.W.Proto(2);
        if (Ordered)
        {
            p.Global("collections", "OrderedDict");
            p.W.EmptyTuple().Reduce();
            p.W.Put();
        }
        else
        {
            p.W.EmptyDict();
            p.W.Put();
        }
        p.Items(_items);
        if (Ordered && WithMetadata)
        {
            // OrderedDict.__reduce__ → state {'_metadata': OrderedDict([('', {'version': 1})])}, applied by BUILD
            p.W.EmptyDict();
            p.W.Put();
            p.Str("_metadata");
            p.Global("collections", "OrderedDict");
            p.W.EmptyTuple().Reduce();
            p.W.Put();
            p.Str("");
            p.W.EmptyDict();
            p.W.Put();
            p.Str("version");
            p.W.Int(1);
            p.W.SetItem();
            p.W.SetItem();
            p.W.SetItem();
            p.W.Build();
        }
        p.W.Stop();
        return p.W.ToArray();
    }

    private sealed class Emitter
    {
        private readonly Dictionary<string, int> _memo = [];
        private readonly TorchSaveFile _owner;

        public Emitter(TorchSaveFile owner) => _owner = owner;

        public PickleWriter W { get; } = new();

        public void Global(string module, string name)
        {
            string id = "global:" + module + "." + name;
            if (_memo.TryGetValue(id, out int index))
            {
                W.Get(index);
                return;
            }
            W.Global(module, name);
            _memo[id] = W.Put();
        }

        public void Str(string s)
        {
            string id = "str:" + s;
            if (_memo.TryGetValue(id, out int index))
            {
                W.Get(index);
                return;
            }
            W.Unicode(s);
            _memo[id] = W.Put();
        }

        public void Items(List<KeyValuePair<string, object>> items)
        {
            // batch_setitems: one pair → SETITEM, otherwise MARK … SETITEMS per 1000 pairs
            if (items.Count == 1)
            {
                Str(items[0].Key);
                Value(items[0].Value);
                W.SetItem();
                return;
            }
            for (int start = 0; start < items.Count; start += 1000)
            {
                W.Mark();
                foreach (var item in items.Skip(start).Take(1000))
                {
                    Str(item.Key);
                    Value(item.Value);
                }
                W.SetItems();
            }
        }

        public void Value(object value)
        {
            switch (value)
            {
                case Tensor t:
                    TensorValue(t);
                    break;
                case long or int:
                    W.Int(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case double d:
                    W.Float(d);
                    break;
                case string s:
                    Str(s);
                    break;
                case Dictionary<string, object> dict:
                    W.EmptyDict();
                    W.Put();
                    Items(dict.ToList());
                    break;
                case List<object> list:
                    W.EmptyList();
                    W.Put();
                    if (list.Count > 0)
                    {
                        W.Mark();
                        foreach (object item in list)
                        {
                            Value(item);
                        }
                        W.Appends();
                    }
                    break;
                default:
                    throw new ArgumentException($"Cannot pickle {value.GetType()}.");
            }
        }

        private void TensorValue(Tensor t)
        {
            if (t.Parameter)
            {
                Global("torch._utils", "_rebuild_parameter");
            }
            Global("torch._utils", "_rebuild_tensor_v2");
            W.Mark();
            W.Mark();
            Str("storage");
            Global("torch", _owner._storages[t.Key].Type);
            Str(t.Key);
            Str("cpu");
            W.Int(_owner._storages[t.Key].Numel);
            W.Tuple();
            W.Put();
            W.PersId();
            W.Int(t.Offset);
            W.IntTuple(t.Sizes);
            W.IntTuple(t.Strides);
            W.False();
            Global("collections", "OrderedDict");
            W.EmptyTuple().Reduce();
            W.Put();
            W.Tuple();
            W.Put();
            W.Reduce();
            W.Put();
            if (t.Parameter)
            {
                W.True();
                Global("collections", "OrderedDict");
                W.EmptyTuple().Reduce();
                W.Put();
                W.Tuple3();
                W.Put();
                W.Reduce();
                W.Put();
            }
        }
    }

    /// <summary>Bytes of float32 values in big-endian order, for a <c>byteorder</c> of <c>big</c>.</summary>
    public static byte[] BigEndianFloats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * i), BitConverter.SingleToInt32Bits(values[i]));
        }
        return bytes;
    }

    private sealed record Storage(string Type, byte[] Bytes, long Numel);

    /// <summary>A tensor value: a view of storage <paramref name="Key"/>.</summary>
    public sealed record Tensor(string Key, long Offset, long[] Sizes, long[] Strides, bool Parameter = false);
}
