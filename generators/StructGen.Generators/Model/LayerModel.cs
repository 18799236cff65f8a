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
/// <param name="Declaration">The attribute (or .sgl declaration) as the user wrote it, quoted in the generated code.</param>
/// <param name="Modifiers">Written before <c>sealed partial class</c>: empty for a user's declaration (which has its own
/// accessibility), <c>"public "</c> for a class that only a <c>.sgl</c> file declares.</param>
internal sealed record LayerModel(HierarchyInfo Hierarchy, LayerSpec? Spec, bool Bias, int Seed, string Declaration, string Modifiers = "");

/// <summary>
/// The parser's result for one declaration: the model and its diagnostics, which travel on separate pipeline
/// branches, and the name the declared class takes (null when another attribute of the type speaks for it),
/// which <c>.sgl</c> declarations must not take again.
/// </summary>
internal sealed record ParseResult(LayerModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, ClaimedName? Name = null);

/// <summary>A generated class's full name and hint name, checked against the <c>.sgl</c> declarations for duplicates.</summary>
internal sealed record ClaimedName(string FullName, string HintName);
