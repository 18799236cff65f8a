using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace StructGen.Analyzers.CallSites;

/// <summary>The compile-time sizes of a structured layer type.</summary>
internal readonly struct LayerShape
{
    public LayerShape(int inFeatures, int outFeatures)
    {
        In = inFeatures;
        Out = outFeatures;
    }

    public int In { get; }

    public int Out { get; }
}

/// <summary>
/// Finds the sizes of layer types, once per type per compilation. A declared layer carries them on its
/// structure attribute (<c>In</c>/<c>Out</c> of any attribute deriving from <c>StructuredLayerAttribute</c>);
/// a layer generated from a <c>.sgl</c> file has no attribute, but the generated part carries
/// <c>[GeneratedCode("StructGen")]</c> and the constants <c>In</c>/<c>Out</c> the kernels use.
/// </summary>
internal sealed class LayerShapes
{
    private readonly INamedTypeSymbol _structuredLayerAttribute;
    private readonly ConcurrentDictionary<INamedTypeSymbol, LayerShape?> _cache = new(SymbolEqualityComparer.Default);

    public LayerShapes(INamedTypeSymbol structuredLayerAttribute) => _structuredLayerAttribute = structuredLayerAttribute;

    /// <summary>The sizes of <paramref name="type"/>, or null when they are not known at compile time.</summary>
    public LayerShape? Of(INamedTypeSymbol type) => _cache.GetOrAdd(type, Compute);

    private LayerShape? Compute(INamedTypeSymbol type)
    {
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        LayerShape? declared = null;
        int structures = 0;
        bool generated = false;
        foreach (AttributeData attribute in attributes)
        {
            if (attribute.AttributeClass is not { } attributeClass)
            {
                continue;
            }
            if (DerivesFrom(attributeClass, _structuredLayerAttribute))
            {
                structures++;
                declared = FromNamedArguments(attribute);
            }
            else if (IsStructGenGeneratedCode(attribute))
            {
                generated = true;
            }
        }

        // Two structures on one type is an error the generator reports; the sizes are then not trustworthy.
        if (structures > 1)
        {
            return null;
        }
        if (structures == 1)
        {
            return declared;
        }
        return generated ? FromConstants(type) : null;
    }

    private static LayerShape? FromNamedArguments(AttributeData attribute)
    {
        int? inFeatures = null, outFeatures = null;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Value.Kind != TypedConstantKind.Primitive || argument.Value.Value is not int value)
            {
                continue;
            }
            if (argument.Key == "In")
            {
                inFeatures = value;
            }
            else if (argument.Key == "Out")
            {
                outFeatures = value;
            }
        }
        return inFeatures > 0 && outFeatures > 0 ? new LayerShape(inFeatures.Value, outFeatures.Value) : null;
    }

    private static LayerShape? FromConstants(INamedTypeSymbol type)
    {
        int? inFeatures = Constant(type, "In"), outFeatures = Constant(type, "Out");
        return inFeatures > 0 && outFeatures > 0 ? new LayerShape(inFeatures.Value, outFeatures.Value) : null;
    }

    private static int? Constant(INamedTypeSymbol type, string name)
    {
        foreach (ISymbol member in type.GetMembers(name))
        {
            if (member is IFieldSymbol { IsConst: true, ConstantValue: int value })
            {
                return value;
            }
        }
        return null;
    }

    private static bool IsStructGenGeneratedCode(AttributeData attribute)
        => attribute.AttributeClass is { Name: "GeneratedCodeAttribute" } c
           && c.ContainingNamespace?.ToDisplayString() == "System.CodeDom.Compiler"
           && attribute.ConstructorArguments.Length > 0
           && attribute.ConstructorArguments[0].Value is "StructGen";

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }
        return false;
    }
}
