using StructGen.Language.Collections;
using StructGen.Language.Ir;

namespace StructGen.Generators.Model;

/// <summary>
/// What the parser hands the emitter for one declaration: where the type is, the bound IR (null when a
/// diagnostic rejected it) and the layer options. Value-equatable: no symbols, syntax or locations.
/// </summary>
/// <param name="Hierarchy">Namespace and nesting of the user's type.</param>
/// <param name="Spec">The structure (IR); null when the declaration has errors.</param>
/// <param name="Bias">Whether the layer has a bias.</param>
/// <param name="Seed">Initialization seed for the parameterless constructor.</param>
/// <param name="Declaration">The attribute as the user wrote it, quoted in the generated documentation.</param>
internal sealed record LayerModel(HierarchyInfo Hierarchy, LayerSpec? Spec, bool Bias, int Seed, string Declaration);

/// <summary>The parser's result for one declaration: the model and its diagnostics, which travel on separate pipeline branches.</summary>
internal sealed record ParseResult(LayerModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
