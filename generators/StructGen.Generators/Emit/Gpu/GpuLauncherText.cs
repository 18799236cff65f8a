using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// The parts every generated launcher shares, layer or model: the scratch views and launch lines of a pass,
/// the per-accelerator kernel set, the nested kernel classes of a plan and the bias-gradient kernel.
/// </summary>
internal static class GpuLauncherText
{
    private const string View = "global::ILGPU.ArrayView<float>";

    /// <summary><c>h [rows, 5], dh [rows, 5] floats</c>, or <c>none</c>.</summary>
    public static string Scratch(GpuPlan plan) => plan.Scratch.Count == 0
        ? "none"
        : string.Join(", ", plan.Scratch.Select(s => $"{s.Name} [rows, {s.PerRow}]")) + " floats";

    /// <summary>The kernels a pass launches, in order (<c>Hidden → Output</c>).</summary>
    public static string Sequence(IEnumerable<GpuLaunch> pass) => string.Join(" → ", pass.Where(l => l.Kernel is not null).Select(l => l.Kernel));

    /// <summary>Views of the scratch buffer a pass uses: each <c>[rows, PerRow]</c>, laid end to end in plan order.</summary>
    public static void WriteScratchViews(IndentedTextWriter w, GpuPlan plan, IReadOnlyList<GpuLaunch> pass)
    {
        var used = new HashSet<string>(pass.SelectMany(l => l.Arguments));
        string offset = "0";
        foreach (GpuScratch s in plan.Scratch)
        {
            if (used.Contains(s.Name))
            {
                w.Line($"{View} {s.Name} = scratch.SubView({offset}, rows * {s.PerRow}); // {s.Comment}");
            }
            offset = offset == "0" ? $"rows * {s.PerRow}" : $"{offset} + rows * {s.PerRow}";
        }
    }

    /// <summary>One commented line per launch, numbered; headings as plain comments.</summary>
    public static void WriteLaunches(IndentedTextWriter w, IReadOnlyList<GpuLaunch> pass)
    {
        int number = 0;
        foreach (GpuLaunch launch in pass)
        {
            if (launch.Kernel is null)
            {
                w.Line($"// {launch.Comment}");
                continue;
            }
            w.Line($"// {++number}. {launch.Comment}");
            w.Line(launch.Call);
        }
    }

    /// <summary>A field of the kernel set, and how it is loaded.</summary>
    public sealed record Loaded(string Field, string Method, int Views);

    /// <summary>Every kernel of the plan's classes (products, then a class's bias gradient), as kernel-set fields.</summary>
    public static IEnumerable<Loaded> Kernels(GpuPlan plan)
    {
        foreach (GpuNode node in plan.Nodes)
        {
            foreach (GpuGemm gemm in node.Kernels)
            {
                yield return new Loaded(node.FieldPrefix + gemm.Name, node.Qualified(gemm.Name), gemm.Buffers.Count);
            }
            if (node.HasBiasGradient)
            {
                yield return new Loaded(node.FieldPrefix + "BiasGradient", node.Qualified("BiasGradient"), 2);
            }
        }
    }

    /// <summary>The kernels compiled for one accelerator, cached per accelerator.</summary>
    public static void WriteKernelSet(IndentedTextWriter w, IReadOnlyList<Loaded> kernels)
    {
        w.Line("/// <summary>The kernels compiled for one accelerator; loaded once per accelerator and shared by its launchers.</summary>");
        using (w.OpenBlock("private sealed class GpuKernelSet"))
        {
            w.Line("private static readonly global::System.Runtime.CompilerServices.ConditionalWeakTable<global::ILGPU.Runtime.Accelerator, GpuKernelSet> s_loaded = new();");
            w.Line();
            foreach (Loaded kernel in kernels)
            {
                w.Line($"public readonly global::System.Action<global::ILGPU.KernelConfig, {Views(kernel.Views)}, int> {kernel.Field};");
            }
            w.Line();
            using (w.OpenBlock("private GpuKernelSet(global::ILGPU.Runtime.Accelerator accelerator)"))
            {
                foreach (Loaded kernel in kernels)
                {
                    w.Line($"{kernel.Field} = global::ILGPU.Runtime.KernelLoaders.LoadStreamKernel<{Views(kernel.Views)}, int>(accelerator, {kernel.Method});");
                }
            }
            w.Line();
            w.Line("public static GpuKernelSet For(global::ILGPU.Runtime.Accelerator accelerator) => s_loaded.GetValue(accelerator, static a => new GpuKernelSet(a));");
        }
    }

    /// <summary>The nested class of every node but the root: its sizes, offsets and kernels.</summary>
    public static void WriteNestedClasses(IndentedTextWriter w, GpuPlan plan)
    {
        foreach (GpuNode node in plan.Nodes.Where(n => n.ClassName is not null))
        {
            w.Line();
            w.Line($"/// <summary>{Xml(node.Title)}.</summary>");
            using (w.OpenBlock($"public static class {node.ClassName}"))
            {
                w.Line("/// <summary>Input features of this operand.</summary>");
                w.Line($"public const int In = {node.Spec.In};");
                w.Line("/// <summary>Output features of this operand.</summary>");
                w.Line($"public const int Out = {node.Spec.Out};");
                WriteConstants(w, node);
                foreach (GpuOffset offset in node.Offsets)
                {
                    w.Line($"public const int {offset.Constant} = {offset.Value}; // {offset.Comment}");
                }
                if (node.BiasOffset is { } bias)
                {
                    w.Line($"public const int OffsetBias = {bias}; // this step's bias [{node.Spec.Out}]");
                }
                WriteKernelBodies(w, node);
            }
        }
    }

    /// <summary>The facet's constants (<c>R</c>, <c>K</c>, …) of a node.</summary>
    public static void WriteConstants(IndentedTextWriter w, GpuNode node)
    {
        if (node.Facet is null)
        {
            return;
        }
        foreach (GpuConstant c in node.Facet.Constants())
        {
            w.Line($"/// <summary>{Xml(c.Comment)}</summary>");
            w.Line($"public const {c.Type} {c.Name} = {c.Value};");
        }
    }

    /// <summary>A node's product kernels, then its bias gradient.</summary>
    public static void WriteKernelBodies(IndentedTextWriter w, GpuNode node)
    {
        foreach (GpuGemm gemm in node.Kernels)
        {
            w.Line();
            GpuGemmEmitter.Emit(w, gemm);
        }
        if (node.HasBiasGradient)
        {
            w.Line();
            WriteBiasGradient(w);
        }
    }

    /// <summary>∂bias += column sums of dy, over the enclosing class's <c>Out</c> and <c>OffsetBias</c>.</summary>
    public static void WriteBiasGradient(IndentedTextWriter w)
    {
        w.Lines(
@"/// <summary>∂bias[o] += Σ_b dy[b, o]: one thread per output feature, rows summed in order (deterministic, no atomics); consecutive threads read consecutive addresses.</summary>
public static void BiasGradient(global::ILGPU.ArrayView<float> dy, global::ILGPU.ArrayView<float> dp, int rows)
{
    int o = global::ILGPU.Grid.IdxX * Threads + global::ILGPU.Group.IdxX;
    if (o < Out)
    {
        float sum = 0f;
        for (int b = 0; b < rows; b++)
        {
            sum += dy[b * Out + o];
        }
        dp[OffsetBias + o] += sum;
    }
}");
    }

    public static string Xml(string text) => GpuGemmEmitter.Xml(text);

    private static string Views(int count) => string.Join(", ", Enumerable.Repeat(View, count));
}
