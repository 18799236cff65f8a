using System;
using System.Collections.Generic;
using StructGen.Language.Ir;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>A tensor offset constant of a kernel class: <c>public const int OffsetA = 4096; // 1.A [8, 64]</c>.</summary>
internal sealed record GpuOffset(string Constant, long Value, string Comment);

/// <summary>
/// One kernel class of a launcher: the ILGPU kernels of one structure of the layer (or of one model step)
/// with that structure's sizes and tensor offsets as constants. A layer that is a single structure has one
/// node, the root <c>GpuKernels</c> class itself (<see cref="ClassName"/> null); a composite has one nested
/// class per operand (<c>GpuKernels.T1</c> for term 1 of a sum, <c>GpuKernels.F0</c> for factor 0 of a chain,
/// <c>GpuKernels.L2_T0</c> inside step 2 of a model), so every operand's kernels read their own <c>In</c>,
/// <c>Out</c> and <c>Offset*</c> through the same index expressions as a layer of their own.
/// </summary>
internal sealed class GpuNode
{
    private readonly List<GpuGemm> _kernels = new();

    public GpuNode(string? className, string title, LayerSpec spec, GpuStructure? facet, IReadOnlyList<GpuOffset> offsets)
    {
        ClassName = className;
        Title = title;
        Spec = spec;
        Facet = facet;
        Offsets = offsets;
    }

    /// <summary>The nested class name; null for the root <c>GpuKernels</c>.</summary>
    public string? ClassName { get; }

    /// <summary>What the class holds, for its documentation (<c>term 1 of 2: lowrank(r: 8), 64 → 64; …</c>).</summary>
    public string Title { get; }

    /// <summary>The structure whose sizes the class carries.</summary>
    public LayerSpec Spec { get; }

    /// <summary>The facet whose kernels the class holds; null for a model step that is a composite (its operands have classes of their own).</summary>
    public GpuStructure? Facet { get; }

    /// <summary>The facet's tensors, at their offsets in the whole layer's parameter buffer.</summary>
    public IReadOnlyList<GpuOffset> Offsets { get; }

    /// <summary>The offset of the bias this class adds (a model step's own bias), when it is not the root's <c>OffsetBias</c>.</summary>
    public long? BiasOffset { get; set; }

    /// <summary>Whether the class holds a <c>BiasGradient</c> kernel over its own <c>Out</c> (a model step).</summary>
    public bool HasBiasGradient { get; set; }

    /// <summary>The product kernels, in first-use order.</summary>
    public IReadOnlyList<GpuGemm> Kernels => _kernels;

    /// <summary><c>T1_</c>: the prefix of this class's kernels in the kernel set (none at the root).</summary>
    public string FieldPrefix => ClassName is null ? "" : ClassName + "_";

    /// <summary><c>GpuKernels.T1.Hidden</c>.</summary>
    public string Qualified(string kernel) => ClassName is null ? "GpuKernels." + kernel : $"GpuKernels.{ClassName}.{kernel}";

    /// <summary>
    /// Adds a kernel the first time it is used. A second use must be the same kernel: an operand either stores
    /// into its output or adds into it wherever it appears, so a name never stands for two bodies.
    /// </summary>
    public void Use(GpuGemm gemm)
    {
        foreach (GpuGemm existing in _kernels)
        {
            if (existing.Name == gemm.Name)
            {
                if (existing != gemm)
                {
                    throw new InvalidOperationException($"Kernel {FieldPrefix}{gemm.Name} is needed in two variants.");
                }
                return;
            }
        }
        _kernels.Add(gemm);
    }
}
