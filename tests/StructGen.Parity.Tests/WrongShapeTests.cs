using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Serialization;

namespace StructGen.Parity.Tests;

/// <summary>
/// A PyTorch checkpoint for another shape is refused with one <see cref="StateDictLoadException"/> that lists every
/// missing key, unexpected key and size mismatch together (as torch's strict <c>load_state_dict</c>), and the
/// layer is left exactly as it was.
/// </summary>
public class WrongShapeTests
{
    /// <summary>Each fixture's files loaded into the layer of the next fixture (ordinal order, wrapping around).</summary>
    public static TheoryData<string, string, string> Mismatched()
    {
        var data = new TheoryData<string, string, string>();
        IReadOnlyList<string> names = ParityCatalog.Names;
        for (int i = 0; i < names.Count; i++)
        {
            data.Add(names[i], names[(i + 1) % names.Count], Fixture.Pt);
            data.Add(names[i], names[(i + 1) % names.Count], Fixture.Safetensors);
        }
        return data;
    }

    /// <summary>Pairs of the same structure, so every key is found and only the shapes differ.</summary>
    public static TheoryData<string, string> SameStructure() => new()
    {
        { "monarch_padded_22x37_b4", "monarch_square_36_b6" },
        { "monarch_square_36_b6", "monarch_padded_22x37_b4" },
        { "monarch_padded_29x13_b3", "monarch_square_48_b3" },
        { "blast_grid_18x28_4x2_r5", "blast_grid_33x10_2x3_r4" },
        { "blast_square_27_b3_r4", "blast_grid_18x28_4x2_r5" },
    };

    [Theory]
    [MemberData(nameof(Mismatched))]
    public void Checkpoint_for_another_layer_fails_with_every_problem_and_leaves_the_layer_untouched(string source, string target, string format)
    {
        IStructuredLinear layer = ParityCatalog.Create(target);
        layer.Initialize(1234);
        layer.Gradients.Fill(0.5f);
        int[] parametersBefore = Parity.Bits(layer.Parameters);
        int[] gradientsBefore = Parity.Bits(layer.Gradients);

        using Checkpoint checkpoint = Checkpoint.Open(Fixture.PathOf(source, format));
        (List<string> missing, List<string> unexpected, List<string> mismatched) = Expected(layer, checkpoint);
        Assert.True(missing.Count + unexpected.Count + mismatched.Count > 0, $"{source} fits {target}: pick another pair");

        StateDictLoadException e = Assert.Throws<StateDictLoadException>(() => layer.LoadStateDict(checkpoint, prefix: "", strict: true));
        Assert.Equal(missing, e.MissingKeys.Order(StringComparer.Ordinal));
        Assert.Equal(unexpected, e.UnexpectedKeys.Order(StringComparer.Ordinal));
        Assert.Equal(mismatched.Count, e.ShapeMismatches.Count);
        foreach (string key in mismatched)
        {
            Assert.Contains(e.ShapeMismatches, line => line.Contains("size mismatch for " + key + ":", StringComparison.Ordinal));
        }
        Assert.Empty(e.AmbiguousKeys);
        Assert.StartsWith("Error(s) in loading state_dict for ", e.Message, StringComparison.Ordinal);

        Assert.Equal(parametersBefore, Parity.Bits(layer.Parameters));
        Assert.Equal(gradientsBefore, Parity.Bits(layer.Gradients));
    }

    [Theory]
    [MemberData(nameof(SameStructure))]
    public void Same_structure_other_shape_reports_every_tensor_as_a_size_mismatch(string source, string target)
    {
        IStructuredLinear layer = ParityCatalog.Create(target);
        int[] before = Parity.Bits(layer.Parameters);
        using Checkpoint checkpoint = Checkpoint.Open(Fixture.PathOf(source, Fixture.Pt));
        StateDictLoadException e = Assert.Throws<StateDictLoadException>(() => layer.LoadStateDict(checkpoint));
        Assert.Empty(e.MissingKeys);
        Assert.Empty(e.UnexpectedKeys);
        Assert.Equal(layer.Tensors.Count, e.ShapeMismatches.Count);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            string line = Assert.Single(e.ShapeMismatches, l => l.StartsWith($"size mismatch for {tensor.Name}:", StringComparison.Ordinal));
            Assert.Contains("copying a param with shape [" + string.Join(", ", checkpoint[tensor.Name].Shape) + "] from checkpoint", line, StringComparison.Ordinal);
            Assert.EndsWith("the shape in current model is [" + string.Join(", ", tensor.Shape) + "].", line, StringComparison.Ordinal);
        }
        Assert.Equal(before, Parity.Bits(layer.Parameters));
    }

    [Fact]
    public void Missing_unexpected_and_mismatched_keys_come_in_one_exception()
    {
        // Low rank's A, B and bias [17] into a dense 19 → 23 layer: weight is missing, A and B are unexpected and
        // bias has the wrong size, all in one report.
        IStructuredLinear layer = new Dense19x23();
        int[] before = Parity.Bits(layer.Parameters);
        using Checkpoint checkpoint = Checkpoint.Open(Fixture.PathOf("lowrank_21x17_r3", Fixture.Pt));
        StateDictLoadException e = Assert.Throws<StateDictLoadException>(() => layer.LoadStateDict(checkpoint, prefix: "", strict: true));
        Assert.Equal(["weight"], e.MissingKeys);
        Assert.Equal(["A", "B"], e.UnexpectedKeys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["size mismatch for bias: copying a param with shape [17] from checkpoint, the shape in current model is [23]."],
            e.ShapeMismatches);
        Assert.Contains("Missing key(s) in state_dict: \"weight\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected key(s) in state_dict: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Parity.Bits(layer.Parameters));
    }

    /// <summary>What torch's strict load would report, worked out from the names and shapes alone.</summary>
    private static (List<string> Missing, List<string> Unexpected, List<string> Mismatched) Expected(IStructuredLinear layer, Checkpoint checkpoint)
    {
        var missing = new List<string>();
        var mismatched = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterTensor tensor in layer.Tensors)
        {
            string? key = checkpoint.ContainsKey(tensor.Name) ? tensor.Name
                : checkpoint.ContainsKey(tensor.Name + ".weight") ? tensor.Name + ".weight"
                : null;
            if (key is null)
            {
                missing.Add(tensor.Name);
                continue;
            }
            used.Add(key);
            if (!checkpoint[key].Shape.SequenceEqual(tensor.Shape))
            {
                mismatched.Add(key);
            }
        }
        List<string> unexpected = [.. checkpoint.Keys.Where(k => !used.Contains(k))];
        missing.Sort(StringComparer.Ordinal);
        unexpected.Sort(StringComparer.Ordinal);
        return (missing, unexpected, mismatched);
    }
}
