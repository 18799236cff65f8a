using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using StructGen.Generators.Emit.Cpu;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit;

/// <summary>
/// Names a <c>.sgl</c> declaration cannot take because the class generated for it would not compile: a
/// member of the class itself (C# forbids a member named as its type: <c>layer R</c> with a rank constant
/// <c>R</c>, <c>layer Forward</c>), or a type the generated code names without qualification (a class
/// <c>Math</c> in the namespace would shadow <c>System.Math</c> there).
/// </summary>
internal static class GeneratedNames
{
    private static readonly HashSet<string> s_types = new(StringComparer.Ordinal)
    {
        "Math", "Array", "Unsafe", "MemoryMarshal", "MethodImpl", "MethodImplAttribute", "MethodImplOptions",
        "Vector128", "Vector256", "Vector512", "RowOps", "LayerGuard", "BlastCoupling",
    };

    private static readonly HashSet<string> s_members = new(StringComparer.Ordinal)
    {
        "In", "Out", "TileRows", "ScratchLength", "ParameterTotal", "DefaultSeed", "OffsetBias",
        "InFeatures", "OutFeatures", "ParameterCount", "ForwardFlopsPerRow", "Parameters", "Gradients", "Tensors",
        "ZeroGradients", "Forward", "ForwardTile", "Backward", "BackwardTile", "ToDense", "Initialize", "Gemm",
        "s_tensors", "_parameters", "_gradients", "_scratch",
        // The GPU part (generated when the project references ILGPU).
        "ToAccelerator", "GpuLauncher", "GpuKernelSet", "GpuKernels",
    };

    private static readonly Regex s_constant = new(@"(?:const (?:int|float) |, )(\w+) = ", RegexOptions.CultureInvariant);

    /// <summary>Why <paramref name="name"/> cannot name the class generated for <paramref name="layer"/> or <paramref name="model"/>; null when it can.</summary>
    public static string? WhyReserved(string name, LayerSpec? layer, ModelSpec? model)
    {
        if (s_types.Contains(name))
        {
            return "the generated code uses a type of that name";
        }
        if (s_members.Contains(name) || (layer is not null && LayerMembers(layer).Contains(name)) || (model is not null && ModelMembers(model).Contains(name)))
        {
            return "a member of the generated class has that name";
        }
        return null;
    }

    private static HashSet<string> LayerMembers(LayerSpec layer)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        AddConstants(names, StructureEmitter.For(layer).Constants());
        foreach (TensorSpec tensor in layer.Tensors)
        {
            names.Add(StructureEmitter.OffsetName(tensor.Name));
        }
        return names;
    }

    private static HashSet<string> ModelMembers(ModelSpec model)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < model.Steps.Count; i++)
        {
            string index = i.ToString(CultureInfo.InvariantCulture);
            if (model.Steps[i] is LayerStep step)
            {
                string prefix = "L" + index + "_";
                names.Add(prefix + "In");
                names.Add(prefix + "Out");
                EmitScope scope = EmitScope.Root with { In = prefix + "In", Out = prefix + "Out", ConstantPrefix = prefix, TensorPrefix = index + "." };
                AddConstants(names, StructureEmitter.For(step.Layer, scope).Constants());
            }
            else
            {
                names.Add("A" + index + "_Width");
            }
        }
        foreach (TensorSpec tensor in model.Tensors)
        {
            names.Add(StructureEmitter.OffsetName(tensor.Name));
        }
        return names;
    }

    private static void AddConstants(HashSet<string> names, IEnumerable<string> constants)
    {
        foreach (Match match in constants.SelectMany(c => s_constant.Matches(c).Cast<Match>()))
        {
            names.Add(match.Groups[1].Value);
        }
    }
}
