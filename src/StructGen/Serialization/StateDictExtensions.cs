using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace StructGen.Serialization;

/// <summary>
/// <c>load_state_dict</c> and <c>state_dict</c> for structured layers: tensors are matched by the names in
/// <see cref="IStructuredLinear.Tensors"/>, which follow the PyTorch reference implementations (see
/// STRUCTURES.md), so a checkpoint trained there loads as-is.
/// </summary>
public static class StateDictExtensions
{
    private const string LinearSuffix = ".weight";
    private const string BaseLayerPrefix = "base_layer.";

    /// <summary>Adapter factors that PEFT wraps in <c>nn.Linear</c> (<c>lora_A</c>, <c>lora_B</c>, also under a prefix).</summary>
    private static bool IsPeftLinear(string name)
        => name is "lora_A" or "lora_B" || name.EndsWith(".lora_A", StringComparison.Ordinal) || name.EndsWith(".lora_B", StringComparison.Ordinal);

    /// <summary>
    /// Copies the layer's tensors from <paramref name="stateDict"/>, all or nothing.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each layer tensor <c>name</c> is looked up as <c>prefix + name</c>, then as <c>prefix + name + ".weight"</c>
    /// (PyTorch code such as PEFT wraps factors in <c>nn.Linear</c>: <c>lora_A.weight</c>). Float16, bfloat16 and
    /// the other stored types are converted to float.
    /// </para>
    /// <para>
    /// Every problem is collected first and reported in one <see cref="StateDictLoadException"/>: shape
    /// mismatches and ambiguous keys always; missing keys and unexpected keys (keys starting with
    /// <paramref name="prefix"/> that name no layer tensor) when <paramref name="strict"/>. Every tensor is read
    /// before any parameter is written, so a failure (including corrupted data) leaves the layer unchanged.
    /// </para>
    /// </remarks>
    /// <param name="layer">The layer to fill.</param>
    /// <param name="stateDict">A <see cref="Checkpoint"/> or any name → tensor map.</param>
    /// <param name="prefix">Prepended to every tensor name, e.g. <c>"model.layers.0.mlp.up_proj."</c>.</param>
    /// <param name="strict">When true, missing and unexpected keys are errors, as in torch.</param>
    /// <returns>The missing and unexpected keys (both empty after a strict load).</returns>
    /// <exception cref="StateDictLoadException">The state dict does not fit the layer.</exception>
    /// <exception cref="InvalidDataException">A tensor's data could not be read from its file.</exception>
    public static StateDictLoadResult LoadStateDict(this IStructuredLinear layer, IReadOnlyDictionary<string, CheckpointTensor> stateDict, string prefix = "", bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(stateDict);
        ArgumentNullException.ThrowIfNull(prefix);

        IReadOnlyList<ParameterTensor> tensors = layer.Tensors;
        int parameterCount = layer.Parameters.Length;
        var missing = new List<string>();
        var mismatches = new List<string>();
        var ambiguous = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var matches = new List<(ParameterTensor Target, CheckpointTensor Source)>();
        bool isAdapter = tensors.Any(t => IsPeftLinear(t.Name));

        foreach (ParameterTensor target in tensors)
        {
            if ((long)target.Offset + target.Length > parameterCount)
            {
                throw new ArgumentException($"Layer {layer.GetType().Name} describes tensor {target} past the end of its {parameterCount} parameters.", nameof(layer));
            }
            string key = prefix + target.Name;
            string wrappedKey = key + LinearSuffix;
            bool hasBare = stateDict.TryGetValue(key, out CheckpointTensor? bare);
            bool hasWrapped = stateDict.TryGetValue(wrappedKey, out CheckpointTensor? wrapped);
            // In a model that carries a PEFT adapter the base layer's tensors are `base_layer.weight` / `base_layer.bias`.
            if (!hasBare && !hasWrapped && isAdapter && (target.Name == "weight" || target.Name == "bias")
                && stateDict.TryGetValue(prefix + BaseLayerPrefix + target.Name, out CheckpointTensor? baseLayer))
            {
                key = prefix + BaseLayerPrefix + target.Name;
                bare = baseLayer;
                hasBare = true;
            }
            if (hasBare && hasWrapped)
            {
                ambiguous.Add(key);
                used.Add(key);
                used.Add(wrappedKey);
                continue;
            }
            if (!hasBare && !hasWrapped)
            {
                missing.Add(key);
                continue;
            }
            string foundKey = hasBare ? key : wrappedKey;
            CheckpointTensor source = hasBare ? bare! : wrapped!;
            used.Add(foundKey);
            if (!source.Shape.SequenceEqual(target.Shape))
            {
                mismatches.Add(
                    $"size mismatch for {foundKey}: copying a param with shape {CheckpointTensor.ShapeText(source.Shape)} from checkpoint, " +
                    $"the shape in current model is {CheckpointTensor.ShapeText(target.Shape)}.");
                continue;
            }
            matches.Add((target, source));
        }

        var unexpected = stateDict.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !used.Contains(k)).ToList();
        if (mismatches.Count > 0 || ambiguous.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            throw new StateDictLoadException(
                Describe(layer, stateDict, prefix),
                strict ? missing : [],
                strict ? unexpected : [],
                mismatches,
                ambiguous);
        }

        // Read everything into a copy first: a tensor whose data turns out corrupted must not leave the layer half loaded.
        float[] staged = layer.Parameters.ToArray();
        foreach ((ParameterTensor target, CheckpointTensor source) in matches)
        {
            source.CopyTo(target.Slice(staged));
        }
        staged.CopyTo(layer.Parameters);
        return new StateDictLoadResult(missing, unexpected);
    }

    /// <summary>
    /// The layer's tensors as an in-memory float32 state dict, named <c>prefix + </c><see cref="ParameterTensor.Name"/>
    /// in the order of <see cref="IStructuredLinear.Tensors"/> (PEFT adapter factors <c>lora_A</c>/<c>lora_B</c> get
    /// <c>.weight</c>, as PEFT saves them); the values are copied, bit for bit.
    /// Pass it to <see cref="Checkpoint.Save(string, IEnumerable{KeyValuePair{string, CheckpointTensor}}, IReadOnlyDictionary{string, string}?)"/>
    /// or to another layer's <see cref="LoadStateDict"/>.
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <param name="prefix">Prepended to every name.</param>
    public static Checkpoint StateDict(this IStructuredLinear layer, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(prefix);
        Span<float> parameters = layer.Parameters;
        var tensors = new List<KeyValuePair<string, CheckpointTensor>>();
        foreach (ParameterTensor t in layer.Tensors)
        {
            int[] shape = [.. t.Shape];
            // PEFT keeps lora_A / lora_B in nn.Linear modules: their keys end in ".weight".
            string name = IsPeftLinear(t.Name) ? t.Name + LinearSuffix : t.Name;
            tensors.Add(new(prefix + name, new CheckpointTensor(t.Slice(parameters), shape)));
        }
        return Checkpoint.FromTensors(tensors);
    }

    private static string Describe(IStructuredLinear layer, IReadOnlyDictionary<string, CheckpointTensor> stateDict, string prefix)
    {
        string text = layer.GetType().Name;
        if (prefix.Length > 0)
        {
            text += $" (prefix \"{prefix}\")";
        }
        if (stateDict is Checkpoint { Path: not null } checkpoint)
        {
            text += $" from '{checkpoint.Path}'";
        }
        return text;
    }
}
