using Microsoft.CodeAnalysis;
using StructGen.Generators.Emit;
using StructGen.Generators.Model;

namespace StructGen.Generators;

/// <summary>
/// Completes every <c>partial class</c> that carries a structure attribute (<c>[Monarch]</c>, <c>[LowRank]</c>,
/// <c>[Kronecker]</c>, <c>[BLAST]</c>, <c>[BlockDiagonal]</c>, <c>[Dense]</c>) into a sealed
/// <c>StructGen.IStructuredLinear</c> with kernels specialized to the declared shape.
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
    }

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
        // One ForAttributeWithMetadataName per attribute: Roslyn finds candidates by attribute name without
        // binding every class, and each declaration is parsed on its own so an edit re-parses only it.
        foreach ((string metadataName, string structure) in s_attributes)
        {
            IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    metadataName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                    (ctx, ct) => Parser.Parse(ctx, structure, ct))
                .WithTrackingName(Steps.Parse);
            Register(context, parsed);
        }
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
}
