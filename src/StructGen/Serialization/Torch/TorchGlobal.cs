namespace StructGen.Serialization.Torch;

/// <summary>
/// Stand-in for one of the few Python globals a state dict pickle may name. Nothing is imported: the
/// unpickler only ever holds these markers, and <see cref="TorchPickleEnvironment"/> gives them meaning.
/// </summary>
internal sealed class TorchGlobal
{
    private TorchGlobal(string qualifiedName, TorchGlobalKind kind, TensorDType storageDType = default)
    {
        QualifiedName = qualifiedName;
        Kind = kind;
        StorageDType = storageDType;
    }

    public static TorchGlobal OrderedDict { get; } = new("collections.OrderedDict", TorchGlobalKind.OrderedDict);

    public static TorchGlobal RebuildTensorV2 { get; } = new("torch._utils._rebuild_tensor_v2", TorchGlobalKind.RebuildTensorV2);

    public static TorchGlobal RebuildParameter { get; } = new("torch._utils._rebuild_parameter", TorchGlobalKind.RebuildParameter);

    public static TorchGlobal RebuildParameterWithState { get; } = new("torch._utils._rebuild_parameter_with_state", TorchGlobalKind.RebuildParameterWithState);

    /// <summary><c>module.name</c> as Python spells it.</summary>
    public string QualifiedName { get; }

    public TorchGlobalKind Kind { get; }

    /// <summary>Element type of a <c>torch.*Storage</c> class.</summary>
    public TensorDType StorageDType { get; }

    /// <summary>The allowed global named <paramref name="module"/>.<paramref name="name"/>, or null.</summary>
    public static TorchGlobal? Find(string module, string name) => (module, name) switch
    {
        ("collections", "OrderedDict") => OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2") => RebuildTensorV2,
        ("torch._utils", "_rebuild_parameter") => RebuildParameter,
        ("torch._utils", "_rebuild_parameter_with_state") => RebuildParameterWithState,
        ("torch", "FloatStorage") => Storage(name, TensorDType.Float32),
        ("torch", "HalfStorage") => Storage(name, TensorDType.Float16),
        ("torch", "BFloat16Storage") => Storage(name, TensorDType.BFloat16),
        ("torch", "DoubleStorage") => Storage(name, TensorDType.Float64),
        ("torch", "LongStorage") => Storage(name, TensorDType.Int64),
        ("torch", "IntStorage") => Storage(name, TensorDType.Int32),
        ("torch", "ShortStorage") => Storage(name, TensorDType.Int16),
        ("torch", "CharStorage") => Storage(name, TensorDType.Int8),
        ("torch", "ByteStorage") => Storage(name, TensorDType.UInt8),
        ("torch", "BoolStorage") => Storage(name, TensorDType.Bool),
        _ => null,
    };

    /// <summary>For error messages (it is what <see cref="Pickle.PickleValue.TypeName"/> shows).</summary>
    public override string ToString() => QualifiedName;

    private static TorchGlobal Storage(string name, TensorDType dtype) => new("torch." + name, TorchGlobalKind.StorageType, dtype);
}

/// <summary>What an allowed global is.</summary>
internal enum TorchGlobalKind
{
    /// <summary><c>collections.OrderedDict</c>: called with no arguments, then filled by SETITEMS.</summary>
    OrderedDict,

    /// <summary><c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])</c>.</summary>
    RebuildTensorV2,

    /// <summary><c>torch._utils._rebuild_parameter(data, requires_grad, hooks)</c>: the tensor itself.</summary>
    RebuildParameter,

    /// <summary><c>torch._utils._rebuild_parameter_with_state(data, requires_grad, hooks, state)</c>: the tensor itself.</summary>
    RebuildParameterWithState,

    /// <summary><c>torch.FloatStorage</c> and friends: only ever named inside a persistent id.</summary>
    StorageType,
}
