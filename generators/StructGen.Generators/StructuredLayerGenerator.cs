using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Emit;
using StructGen.Generators.Model;
using StructGen.Language.Collections;

namespace StructGen.Generators;

/// <summary>
/// Completes every <c>partial class</c> that carries a structure attribute (<c>[Monarch]</c>, <c>[LowRank]</c>,
/// <c>[Kronecker]</c>, <c>[BLAST]</c>, <c>[BlockDiagonal]</c>, <c>[Dense]</c>, <c>[StructuredLinear("…")]</c>) into
/// a sealed <c>StructGen.IStructuredLinear</c> with kernels specialized to the declared shape, and turns every
/// <c>layer</c> and <c>model</c> of the project's <c>*.sgl</c> files into a class of its own.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class StructuredLayerGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, asserted by the incremental tests.</summary>
    public static class Steps
    {
        public const string Parse = nameof(Parse);
        public const string Models = nameof(Models);
        public const string Diagnostics = nameof(Diagnostics);

        /// <summary>The class names the attribute layers take (for duplicate checks against .sgl files).</summary>
        public const string AttributeNames = nameof(AttributeNames);

        /// <summary>One .sgl file's path and text.</summary>
        public const string SglText = nameof(SglText);

        /// <summary>One .sgl file bound: diagnostics and declarations.</summary>
        public const string SglBind = nameof(SglBind);

        /// <summary>The diagnostics of one .sgl file.</summary>
        public const string SglDiagnostics = nameof(SglDiagnostics);

        /// <summary>One declaration of a .sgl file.</summary>
        public const string SglDeclarations = nameof(SglDeclarations);

        /// <summary>Every name the generated classes take.</summary>
        public const string Names = nameof(Names);

        /// <summary>One .sgl declaration resolved against every name.</summary>
        public const string SglResolve = nameof(SglResolve);

        /// <summary>One class to generate from a .sgl file.</summary>
        public const string SglModels = nameof(SglModels);
    }

    /// <summary>The structure attributes and the structure each names (the GPU generator reads the same ones).</summary>
    internal static readonly (string MetadataName, string Structure)[] s_attributes =
    {
        ("StructGen.DenseAttribute", "Dense"),
        ("StructGen.LowRankAttribute", "LowRank"),
        ("StructGen.MonarchAttribute", "Monarch"),
        ("StructGen.KroneckerAttribute", "Kronecker"),
        ("StructGen.BLASTAttribute", "BLAST"),
        ("StructGen.BlockDiagonalAttribute", "BlockDiagonal"),
        ("StructGen.StructuredLinearAttribute", "StructuredLinear"),
    };

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One ForAttributeWithMetadataName per attribute: Roslyn finds candidates by attribute name without
        // binding every class, and each declaration is parsed on its own so an edit re-parses only it.
        var claimed = new List<IncrementalValueProvider<EquatableArray<ClaimedName>>>();
        foreach ((string metadataName, string structure) in s_attributes)
        {
            IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    metadataName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                    (ctx, ct) => Parser.Parse(ctx, structure, ct))
                .WithTrackingName(Steps.Parse);
            Register(context, parsed);
            claimed.Add(parsed
                .Where(static r => r.Name is not null)
                .Select(static (r, _) => r.Name!)
                .Collect()
                .Select(static (names, _) => names.ToEquatableArray()));
        }

        RegisterSgl(context, AllNames(claimed));
    }

    /// <summary>Diagnostics and code travel on separate branches: a diagnostic-only change regenerates no code.</summary>
    private static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ParseResult> parsed)
    {
        IncrementalValuesProvider<ParseResult> withDiagnostics = parsed
            .Where(static r => r.Diagnostics.Count > 0)
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(withDiagnostics, static (spc, result) =>
        {
            foreach (DiagnosticInfo diagnostic in result.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<LayerModel> models = parsed
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(Steps.Models);
        context.RegisterSourceOutput(models, static (spc, model) => LayerEmitter.Emit(spc, model));
    }

    /// <summary>The attribute layers' names, one sorted value: it changes only when a class name does.</summary>
    internal static IncrementalValueProvider<EquatableArray<ClaimedName>> AllNames(List<IncrementalValueProvider<EquatableArray<ClaimedName>>> claimed)
    {
        IncrementalValueProvider<EquatableArray<ClaimedName>> all = claimed[0];
        for (int i = 1; i < claimed.Count; i++)
        {
            all = all.Combine(claimed[i]).Select(static (pair, _) => pair.Left.Concat(pair.Right).ToEquatableArray());
        }
        return all
            .Select(static (names, _) => names.OrderBy(n => n.FullName, System.StringComparer.Ordinal).ThenBy(n => n.HintName, System.StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(Steps.AttributeNames);
    }

    /// <summary>
    /// <c>*.sgl</c> files (AdditionalFiles; the package's build props add them): each file is read and bound on
    /// its own, so editing one re-binds only it. Its declarations then meet the table of every generated name
    /// (a small value that changes only when a name does), which finds duplicates across files and attribute
    /// layers and gives each class a unique hint name. What a declaration generates depends only on its own
    /// spec and that table, so an edit that leaves a declaration's spec alone regenerates nothing for it.
    /// </summary>
    private static void RegisterSgl(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<EquatableArray<ClaimedName>> attributeNames)
    {
        IncrementalValuesProvider<SglFile> files = SglFiles(context);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = files
            .Select(static (file, _) => file.Diagnostics)
            .Where(static d => d.Count > 0)
            .WithTrackingName(Steps.SglDiagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (DiagnosticInfo diagnostic in list)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<SglResolution> resolved = SglResolutions(files, attributeNames);

        context.RegisterSourceOutput(
            resolved.Where(static r => r.Duplicate is not null).Select(static (r, _) => r.Duplicate!),
            static (spc, duplicate) => spc.ReportDiagnostic(duplicate.ToDiagnostic()));

        IncrementalValuesProvider<SglOutput> outputs = resolved
            .Where(static r => r.Output is not null)
            .Select(static (r, _) => r.Output!)
            .WithTrackingName(Steps.SglModels);
        context.RegisterSourceOutput(outputs, static (spc, output) =>
        {
            if (output.Layer is { } layer)
            {
                LayerEmitter.Emit(spc, layer, output.HintName);
            }
            else if (output.Model is { } model)
            {
                ModelEmitter.Emit(spc, model, output.HintName);
            }
        });
    }

    /// <summary>The project's <c>.sgl</c> files, each read and bound on its own.</summary>
    internal static IncrementalValuesProvider<SglFile> SglFiles(IncrementalGeneratorInitializationContext context)
        => context.AdditionalTextsProvider
            .Where(static text => Sgl.IsSglFile(text))
            .Select(static (text, ct) => Sgl.Read(text, ct))
            .WithTrackingName(Steps.SglText)
            .Select(static (text, ct) => Sgl.Bind(text, ct))
            .WithTrackingName(Steps.SglBind);

    /// <summary>Every declaration of the files resolved against every generated name (duplicates, hint names).</summary>
    internal static IncrementalValuesProvider<SglResolution> SglResolutions(IncrementalValuesProvider<SglFile> files, IncrementalValueProvider<EquatableArray<ClaimedName>> attributeNames)
    {
        IncrementalValuesProvider<SglDeclaration> declarations = files
            .SelectMany(static (file, _) => file.Declarations)
            .WithTrackingName(Steps.SglDeclarations);

        IncrementalValueProvider<NameTable> names = declarations
            .Collect()
            .Select(static (all, _) => Sgl.Claims(all))
            .Combine(attributeNames)
            .Select(static (pair, _) => new NameTable(pair.Left, pair.Right))
            .WithTrackingName(Steps.Names);

        return declarations
            .Combine(names)
            .Select(static (pair, _) => Sgl.Resolve(pair.Left, pair.Right))
            .WithTrackingName(Steps.SglResolve);
    }
}
