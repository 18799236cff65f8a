namespace StructGen.Serialization;

/// <summary>Where the tensors of a <see cref="Checkpoint"/> come from.</summary>
public enum CheckpointFormat
{
    /// <summary>Tensors held in memory (<see cref="Checkpoint.FromTensors"/>, <see cref="StateDictExtensions.StateDict"/>).</summary>
    InMemory,

    /// <summary>A <c>.safetensors</c> file: 8-byte header length, JSON header, raw little-endian data.</summary>
    Safetensors,

    /// <summary>A <c>torch.save</c> file in the zip format of PyTorch ≥ 1.6 (<c>data.pkl</c> plus <c>data/N</c> storages).</summary>
    TorchZip,
}
