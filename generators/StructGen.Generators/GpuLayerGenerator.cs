using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Emit.Gpu;
using StructGen.Generators.Model;
using StructGen.Language.Collections;

namespace StructGen.Generators;

/// <summary>
/// Adds the GPU path to every structured layer and model when the user's project references ILGPU: a second
/// part of the class (<c>{Hint}.Gpu.g.cs</c>) with ILGPU kernels for the forward and backward passes and a
/// typed launcher, <c>layer.ToAccelerator(accelerator)</c>. That covers the six structure attributes,
/// <c>[StructuredLinear("…")]</c> (sums, adapters, chains) and the <c>layer</c>s and <c>model</c>s of
/// <c>*.sgl</c> files. Without ILGPU it emits nothing, so a project that never asked for a GPU compiles
/// exactly as before.
/// </summary>
/// <remarks>
/// A generator of its own rather than a branch of <see cref="StructuredLayerGenerator"/>: the CPU output
/// never depends on whether ILGPU is referenced, so adding or removing the reference regenerates only this
/// part. It reuses the main generator's parser and <c>.sgl</c> resolution (one binding, one truth, the same
/// hint names) and ignores their diagnostics, which the main generator reports once.
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

        /// <summary>The classes of <c>.sgl</c> files that get a GPU part (layers and models).</summary>
        public const string GpuSglModels = nameof(GpuSglModels);
    }

    /// <summary>The assembly whose reference turns the GPU path on.</summary>
    public const string IlgpuAssemblyName = "ILGPU";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // A bool, not the compilation: it compares by value, so an edit to any file re-runs this Select but
        // nothing downstream unless the ILGPU reference itself came or went.
        IncrementalValueProvider<bool> ilgpuReferenced = context.CompilationProvider
            .Select(static (compilation, _) => compilation.ReferencedAssemblyNames.Any(a => string.Equals(a.Name, IlgpuAssemblyName, StringComparison.OrdinalIgnoreCase)))
            .WithTrackingName(Steps.IlgpuReferenced);

        // The attribute layers, [StructuredLinear("…")] included. Their names also decide the .sgl hint names.
        var claimed = new List<IncrementalValueProvider<EquatableArray<ClaimedName>>>();
        foreach ((string metadataName, string structure) in StructuredLayerGenerator.s_attributes)
        {
            IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    metadataName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                    (ctx, ct) => StructuredLayerGenerator.Parser.Parse(ctx, structure, ct));
            claimed.Add(parsed
                .Where(static r => r.Name is not null)
                .Select(static (r, _) => r.Name!)
                .Collect()
                .Select(static (names, _) => names.ToEquatableArray()));

            IncrementalValuesProvider<LayerModel> models = parsed
                .Where(static r => r.Model is not null)
                .Select(static (r, _) => r.Model!)
                .WithTrackingName(Steps.Models);

            IncrementalValuesProvider<LayerModel> gpuModels = models
                .Combine(ilgpuReferenced)
                .Where(static pair => pair.Right)
                .Select(static (pair, _) => pair.Left)
                .WithTrackingName(Steps.GpuModels);

            context.RegisterSourceOutput(gpuModels, static (spc, model) => GpuLayerEmitter.Emit(spc, model));
        }

        // The .sgl classes, resolved exactly as the main generator resolves them (so the hints pair up).
        IncrementalValuesProvider<SglOutput> sgl = StructuredLayerGenerator
            .SglResolutions(StructuredLayerGenerator.SglFiles(context), StructuredLayerGenerator.AllNames(claimed))
            .Where(static r => r.Output is not null)
            .Select(static (r, _) => r.Output!)
            .Combine(ilgpuReferenced)
            .Where(static pair => pair.Right)
            .Select(static (pair, _) => pair.Left)
            .WithTrackingName(Steps.GpuSglModels);
        context.RegisterSourceOutput(sgl, static (spc, output) =>
        {
            if (output.Layer is { } layer)
            {
                GpuLayerEmitter.Emit(spc, layer, output.HintName);
            }
            else if (output.Model is { } model)
            {
                GpuModelEmitter.Emit(spc, model, output.HintName);
            }
        });
    }
}
