using System;
using System.Collections.Generic;
using System.Linq;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;
using StructGen.Language.Shapes;

namespace StructGen.Language.Binding;

/// <summary>
/// Turns a primitive structure declaration (an attribute such as <c>[Monarch(blocks: 16, In = 1024, Out = 4096)]</c>,
/// or a DSL call with the sizes filled in) into IR, resolving defaults and checking every shape rule.
/// Never throws: every problem becomes a diagnostic on the argument at fault.
/// </summary>
public static class StructureBinder
{
    /// <summary>BLAST's default number of blocks per side.</summary>
    public const int DefaultBlastBlocks = 4;

    public static BoundLayer Bind(StructureDeclaration declaration)
    {
        var diagnostics = new List<LanguageDiagnostic>();
        LayerSpec? spec = null;
        bool bias = true;
        int seed = 0;
        try
        {
            spec = BindCore(declaration, diagnostics, ref bias, ref seed);
        }
        catch (Exception ex)
        {
            // The binder must never throw into the compiler: an unexpected failure is a diagnostic.
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.InternalError, declaration.Span, ex.GetType().Name + ": " + ex.Message));
            spec = null;
        }
        bool failed = diagnostics.Any(d => d.Descriptor.Severity == DiagnosticSeverityLevel.Error);
        return new BoundLayer(failed ? null : spec, bias, seed, diagnostics.ToEquatableArray());
    }

    private static LayerSpec? BindCore(StructureDeclaration declaration, List<LanguageDiagnostic> diagnostics, ref bool bias, ref int seed)
    {
        if (!StructureNames.TryParse(declaration.Structure, out StructureKind kind))
        {
            diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.UnknownStructure, declaration.Span, declaration.Structure,
                Suggestions.DidYouMean(declaration.Structure, StructureNames.DslNames)));
            return null;
        }

        var rules = new ShapeRules(diagnostics);
        var allowed = StructureNames.Common.Concat(StructureNames.ArgumentsOf(kind)).ToArray();
        bool argumentsOk = true;
        foreach (ArgumentValue argument in declaration.Arguments)
        {
            if (Array.IndexOf(allowed, argument.Name) < 0)
            {
                diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.UnknownArgument, argument.Span, declaration.Structure, argument.Name,
                    Suggestions.DidYouMean(argument.Name, allowed)));
                argumentsOk = false;
                continue;
            }
            ArgumentKind expected = argument.Name == "Bias" ? ArgumentKind.Boolean : ArgumentKind.Integer;
            if (argument.Kind != expected)
            {
                diagnostics.Add(LanguageDiagnostic.Create(DiagnosticCatalog.WrongArgumentType, argument.Span, argument.Name,
                    expected == ArgumentKind.Boolean ? "true or false" : "an integer constant", argument.Text));
                argumentsOk = false;
            }
        }

        bias = declaration.Find("Bias") is { Kind: ArgumentKind.Boolean } b ? b.Boolean : true;
        seed = declaration.Find("Seed") is { Kind: ArgumentKind.Integer } s ? unchecked((int)s.Integer) : 0;

        string example = $"[{declaration.Structure}(…, In = 1024, Out = 1024)]";
        bool inOk = rules.Size("In", Integer(declaration, "In"), declaration.SpanOf("In"), declaration.Span, example);
        bool outOk = rules.Size("Out", Integer(declaration, "Out"), declaration.SpanOf("Out"), declaration.Span, example);
        if (!inOk || !outOk || !argumentsOk)
        {
            return null;
        }
        int inFeatures = (int)Integer(declaration, "In")!.Value;
        int outFeatures = (int)Integer(declaration, "Out")!.Value;

        LayerSpec? spec = kind switch
        {
            StructureKind.Dense => new DenseSpec(inFeatures, outFeatures),
            StructureKind.LowRank => BindLowRank(declaration, rules, inFeatures, outFeatures),
            StructureKind.Monarch => BindBlocks(declaration, rules, inFeatures, outFeatures, "monarch", blocks => new MonarchSpec(inFeatures, outFeatures, blocks)),
            StructureKind.BlockDiagonal => BindBlocks(declaration, rules, inFeatures, outFeatures, "blockdiag", blocks => new BlockDiagonalSpec(inFeatures, outFeatures, blocks)),
            StructureKind.Kronecker => BindKronecker(declaration, rules, inFeatures, outFeatures),
            StructureKind.Blast => BindBlast(declaration, rules, inFeatures, outFeatures),
            _ => null,
        };
        if (spec is null || !rules.Indexable(spec, bias, declaration.Span))
        {
            return null;
        }
        rules.Saving(spec, declaration.Span);
        return spec;
    }

    private static LayerSpec? BindLowRank(StructureDeclaration declaration, ShapeRules rules, int inFeatures, int outFeatures)
    {
        long? rank = Integer(declaration, "r");
        if (rank is null)
        {
            rules.Size("r", null, declaration.Span, declaration.Span, declaration.Structure == "lowrank" ? "lowrank(r: 64)" : "[LowRank(r: 64, In = …, Out = …)]");
            return null;
        }
        return rules.Rank(rank.Value, Math.Min(inFeatures, outFeatures), declaration.SpanOf("r"))
            ? new LowRankSpec(inFeatures, outFeatures, (int)rank.Value)
            : null;
    }

    private static LayerSpec? BindBlocks(StructureDeclaration declaration, ShapeRules rules, int inFeatures, int outFeatures, string name, Func<int, LayerSpec> create)
    {
        long? blocks = Integer(declaration, "blocks");
        if (blocks is null)
        {
            rules.Size("blocks", null, declaration.Span, declaration.Span, $"{name}(blocks: 16)");
            return null;
        }
        return rules.PaddableBlocks(name, inFeatures, outFeatures, blocks.Value, declaration.SpanOf("blocks"))
            ? create((int)blocks.Value)
            : null;
    }

    private static LayerSpec? BindKronecker(StructureDeclaration declaration, ShapeRules rules, int inFeatures, int outFeatures)
    {
        bool inOk = rules.KroneckerSide("In", inFeatures, Integer(declaration, "In1"), declaration.SpanOf("In1"), Integer(declaration, "In2"), declaration.SpanOf("In2"), out int in1, out int in2);
        bool outOk = rules.KroneckerSide("Out", outFeatures, Integer(declaration, "Out1"), declaration.SpanOf("Out1"), Integer(declaration, "Out2"), declaration.SpanOf("Out2"), out int out1, out int out2);
        return inOk && outOk ? new KroneckerSpec(inFeatures, outFeatures, in1, out1, in2, out2) : null;
    }

    private static LayerSpec? BindBlast(StructureDeclaration declaration, ShapeRules rules, int inFeatures, int outFeatures)
    {
        long blocks = Integer(declaration, "blocks") ?? DefaultBlastBlocks;
        long rowBlocks = Integer(declaration, "RowBlocks") ?? blocks;
        long columnBlocks = Integer(declaration, "ColumnBlocks") ?? blocks;
        SourceSpan rowSpan = declaration.Find("RowBlocks")?.Span ?? declaration.SpanOf("blocks");
        SourceSpan columnSpan = declaration.Find("ColumnBlocks")?.Span ?? declaration.SpanOf("blocks");
        bool rowsOk = rules.DividingBlocks("blast", declaration.Find("RowBlocks") is null ? "blocks" : "RowBlocks", rowBlocks, "Out", outFeatures, rowSpan);
        bool columnsOk = rules.DividingBlocks("blast", declaration.Find("ColumnBlocks") is null ? "blocks" : "ColumnBlocks", columnBlocks, "In", inFeatures, columnSpan);
        long rank = Integer(declaration, "r") ?? DefaultRank(inFeatures, outFeatures);
        bool rankOk = rules.Rank(rank, Math.Min(inFeatures, outFeatures), declaration.SpanOf("r"));
        return rowsOk && columnsOk && rankOk
            ? new BlastSpec(inFeatures, outFeatures, (int)rowBlocks, (int)columnBlocks, (int)rank)
            : null;
    }

    /// <summary>BLAST's default rank: <c>min(In, Out) / 8</c>, at least 1.</summary>
    public static int DefaultRank(int inFeatures, int outFeatures) => Math.Max(1, Math.Min(inFeatures, outFeatures) / 8);

    private static long? Integer(StructureDeclaration declaration, string name)
        => declaration.Find(name) is { Kind: ArgumentKind.Integer } a ? a.Integer : null;
}
