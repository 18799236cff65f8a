using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Emit.Gpu;
using StructGen.Generators.Model;

namespace StructGen.Generators;

/// <summary>
/// Adds the GPU path to every structured layer when the user's project references ILGPU: a second part of
/// the layer class (<c>{Hint}.Gpu.g.cs</c>) with ILGPU kernels for the forward and backward passes and a
/// typed launcher, <c>layer.ToAccelerator(accelerator)</c>. Without ILGPU it emits nothing, so a project
/// that never asked for a GPU compiles exactly as before.
/// </summary>
/// <remarks>
/// A generator of its own rather than a branch of <see cref="StructuredLayerGenerator"/>: the CPU output
/// never depends on whether ILGPU is referenced, so adding or removing the reference regenerates only this
/// part. It reuses the main generator's parser (one binding, one truth) and ignores its diagnostics,
/// which the main generator reports once.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class GpuLayerGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, asserted by the incremental tests.</summary>
    public static class Steps
    {
        public const string IlgpuReferenced = nameof(IlgpuReferenced);
        public const string Models = nameof(Models);
        public const string GpuModels = nameof(GpuModels);
    }

    /// <summary>The assembly whose reference turns the GPU path on.</summary>
    public const string IlgpuAssemblyName = "ILGPU";

    private static readonly (string MetadataName, string Structure)[] s_attributes =
    {
        ("StructGen.DenseAttribute", "Dense"),
        ("StructGen.LowRankAttribute", "LowRank"),
        ("StructGen.MonarchAttribute", "Monarch"),
        ("StructGen.KroneckerAttribute", "Kronecker"),
        ("StructGen.BLASTAttribute", "BLAST"),
        ("StructGen.BlockDiagonalAttribute", "BlockDiagonal"),
    };

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // A bool, not the compilation: it compares by value, so an edit to any file re-runs this Select but
        // nothing downstream unless the ILGPU reference itself came or went.
        IncrementalValueProvider<bool> ilgpuReferenced = context.CompilationProvider
            .Select(static (compilation, _) => compilation.ReferencedAssemblyNames.Any(a => string.Equals(a.Name, IlgpuAssemblyName, StringComparison.OrdinalIgnoreCase)))
            .WithTrackingName(Steps.IlgpuReferenced);

        foreach ((string metadataName, string structure) in s_attributes)
        {
            IncrementalValuesProvider<LayerModel> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    metadataName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                    (ctx, ct) => StructuredLayerGenerator.Parser.Parse(ctx, structure, ct).Model)
                .Where(static m => m is not null)
                .Select(static (m, _) => m!)
                .WithTrackingName(Steps.Models);

            IncrementalValuesProvider<LayerModel> gpuModels = models
                .Combine(ilgpuReferenced)
                .Where(static pair => pair.Right)
                .Select(static (pair, _) => pair.Left)
                .WithTrackingName(Steps.GpuModels);

            context.RegisterSourceOutput(gpuModels, static (spc, model) => GpuLayerEmitter.Emit(spc, model));
        }
    }
}
