using System;
using System.Collections.Generic;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;

namespace StructGen.Language.Shapes;

/// <summary>
/// Every rule about dimensions, once: sizes positive and indexable, blocks dividing (or padding) the
/// features, ranks in range, Kronecker factor products, BLAST grids. Used by the attribute binder and the
/// DSL binder alike, so the IDE and the build report the same thing.
/// </summary>
public sealed class ShapeRules
{
    private readonly List<LanguageDiagnostic> _diagnostics;

    public ShapeRules(List<LanguageDiagnostic> diagnostics) => _diagnostics = diagnostics;

    /// <summary>A size must be written, positive and at most <c>int.MaxValue</c>.</summary>
    public bool Size(string name, long? value, SourceSpan span, SourceSpan declarationSpan, string example)
    {
        if (value is null)
        {
            Report(DiagnosticCatalog.MissingSize, declarationSpan, $"'{name}'", example);
            return false;
        }
        return Positive(name, value.Value, span);
    }

    /// <summary>A count must be positive and fit in 32 bits.</summary>
    public bool Positive(string name, long value, SourceSpan span)
    {
        if (value <= 0)
        {
            Report(DiagnosticCatalog.NonPositive, span, name, value);
            return false;
        }
        if (value > int.MaxValue)
        {
            Report(DiagnosticCatalog.SizeOverflow, span, name, value);
            return false;
        }
        return true;
    }

    /// <summary>Monarch and block-diagonal: blocks may pad (warning) but not exceed the features.</summary>
    public bool PaddableBlocks(string structure, int inFeatures, int outFeatures, long blocks, SourceSpan span)
    {
        if (!Positive("blocks", blocks, span))
        {
            return false;
        }
        int k = (int)blocks;
        int smaller = Math.Min(inFeatures, outFeatures);
        if (k > smaller)
        {
            string side = inFeatures <= outFeatures ? "In" : "Out";
            Report(DiagnosticCatalog.BlocksDoNotDivide, span, structure, k, side, smaller,
                Divisors.Text(Divisors.Nearest(Math.Min(k, smaller), 4, inFeatures, outFeatures)) + " (blocks cannot exceed the features)");
            return false;
        }
        foreach ((string side, int features) in new[] { ("In", inFeatures), ("Out", outFeatures) })
        {
            if (features % k != 0)
            {
                int padded = Padding.RoundUp(features, k);
                double extra = (padded - features) * 100.0 / features;
                Report(DiagnosticCatalog.BlocksPadded, span, structure, k, side, features, padded,
                    extra.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%",
                    Divisors.Text(Divisors.Nearest(k, 4, inFeatures, outFeatures)));
            }
        }
        return true;
    }

    /// <summary>BLAST: blocks must divide exactly (no padding in the reference code).</summary>
    public bool DividingBlocks(string structure, string blocksName, long blocks, string side, int features, SourceSpan span)
    {
        if (!Positive(blocksName, blocks, span))
        {
            return false;
        }
        if (features % blocks != 0)
        {
            Report(DiagnosticCatalog.BlocksDoNotDivide, span, structure, blocks, side, features, Divisors.Text(Divisors.Nearest(blocks, 4, features)));
            return false;
        }
        return true;
    }

    /// <summary>A rank must be in <c>1..limit</c>.</summary>
    public bool Rank(long rank, int limit, SourceSpan span)
    {
        if (rank <= 0 || rank > limit)
        {
            Report(DiagnosticCatalog.RankOutOfRange, span, rank, limit);
            return false;
        }
        return true;
    }

    /// <summary>Kronecker: factor sizes must multiply to the layer's sizes.</summary>
    public bool KroneckerSide(string side, int features, long? first, SourceSpan firstSpan, long? second, SourceSpan secondSpan, out int resolvedFirst, out int resolvedSecond)
    {
        resolvedFirst = resolvedSecond = 0;
        string n1 = side + "1", n2 = side + "2";
        if (first is { } f && !Positive(n1, f, firstSpan))
        {
            return false;
        }
        if (second is { } s && !Positive(n2, s, secondSpan))
        {
            return false;
        }
        if (first is null && second is null)
        {
            resolvedFirst = Divisors.Balanced(features);
            resolvedSecond = features / resolvedFirst;
            return true;
        }
        if (first is { } a && second is { } b)
        {
            if (a * b != features)
            {
                Report(DiagnosticCatalog.KroneckerFactors, secondSpan, $"{n1}·{n2} = {a}·{b} = {a * b} but {side} = {features}",
                    $"choose {n2} = {features}/{n1}" + (features % a == 0 ? $" = {features / a}" : $" (and an {n1} that divides {features})"));
                return false;
            }
            resolvedFirst = (int)a;
            resolvedSecond = (int)b;
            return true;
        }
        long given = first ?? second!.Value;
        string givenName = first is null ? n2 : n1;
        SourceSpan givenSpan = first is null ? secondSpan : firstSpan;
        if (features % given != 0)
        {
            Report(DiagnosticCatalog.KroneckerFactors, givenSpan, $"{givenName} = {given} does not divide {side} = {features}",
                "use a divisor such as " + Divisors.Text(Divisors.Nearest(given, 4, features)));
            return false;
        }
        resolvedFirst = first is null ? features / (int)given : (int)given;
        resolvedSecond = features / resolvedFirst;
        return true;
    }

    /// <summary>Counts that index one buffer must fit in 32 bits (parameters, <c>In·Out</c> for <c>ToDense</c>).</summary>
    public bool Indexable(LayerSpec spec, bool bias, SourceSpan span)
    {
        long dense = (long)spec.In * spec.Out;
        if (dense > int.MaxValue)
        {
            Report(DiagnosticCatalog.SizeOverflow, span, "In·Out", dense);
            return false;
        }
        long parameters = spec.WeightCount + (bias ? spec.Out : 0);
        if (parameters > int.MaxValue)
        {
            Report(DiagnosticCatalog.SizeOverflow, span, "the parameter count", parameters);
            return false;
        }
        return true;
    }

    /// <summary>A structure that stores at least as many weights as dense saves nothing (warning).</summary>
    public void Saving(LayerSpec spec, SourceSpan span)
    {
        if (spec is not DenseSpec && spec.WeightCount >= spec.DenseWeightCount)
        {
            Report(DiagnosticCatalog.NoSaving, span, spec.Describe(), spec.WeightCount, spec.DenseWeightCount);
        }
    }

    private void Report(DiagnosticDescriptorInfo descriptor, SourceSpan span, params object[] arguments)
        => _diagnostics.Add(LanguageDiagnostic.Create(descriptor, span, arguments));
}
