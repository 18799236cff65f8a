using StructGen.Language.Collections;
using StructGen.Language.Ir;

namespace StructGen.Generators.Model;

/// <summary>A <c>.sgl</c> file as the pipeline carries it: its path and its text (never the <c>AdditionalText</c>).</summary>
internal sealed record SglText(string Path, string Text);

/// <summary>A <c>.sgl</c> file bound: every diagnostic of the file, and its declarations.</summary>
internal sealed record SglFile(string Path, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<SglDeclaration> Declarations);

/// <summary>
/// One <c>layer</c> or <c>model</c> of a <c>.sgl</c> file after binding. <see cref="Layer"/> or
/// <see cref="Model"/> is set when the declaration has no error; a declaration with errors still claims its
/// name, so a second declaration of it elsewhere is reported.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Index">Position among the file's declarations (orders "first declared" within a file).</param>
/// <param name="Namespace">The file's namespace, empty for the global namespace.</param>
/// <param name="Name">The declared name.</param>
/// <param name="NameSpan">Where the name is written (SG0012 goes there).</param>
/// <param name="Declaration">The declaration's text and file name, quoted in the generated code.</param>
/// <param name="Layer">The bound layer.</param>
/// <param name="Model">The bound model.</param>
internal sealed record SglDeclaration(string Path, int Index, string Namespace, string Name, Language.Diagnostics.SourceSpan NameSpan, string Declaration, LayerSpec? Layer, ModelSpec? Model)
{
    public string FullName => Namespace.Length == 0 ? Name : Namespace + "." + Name;
}

/// <summary>A name a <c>.sgl</c> declaration takes, in the order that decides which of two equal names is first.</summary>
internal sealed record SglClaim(string FullName, string Path, int Index);

/// <summary>Every class name the generator produces: the <c>.sgl</c> declarations (file path, then position) and the attribute layers.</summary>
internal sealed record NameTable(EquatableArray<SglClaim> Sgl, EquatableArray<ClaimedName> Attributes);

/// <summary>
/// What one <c>.sgl</c> declaration turns into once every other name is known: code, or a diagnostic about its
/// name (SG0012 taken elsewhere, SG0024 a name the generated class cannot have), or nothing (it has errors).
/// </summary>
internal sealed record SglResolution(SglOutput? Output, DiagnosticInfo? Duplicate);

/// <summary>A class to generate from a <c>.sgl</c> file: a layer or a model, under a hint name no other output has.</summary>
internal sealed record SglOutput(string HintName, LayerModel? Layer, ModelInfo? Model);

/// <summary>
/// What the emitter needs for one <c>model</c>: where the class goes, the IR, the initialization seed of the
/// parameterless constructor and the declaration quoted in the generated code. Value-equatable.
/// </summary>
internal sealed record ModelInfo(HierarchyInfo Hierarchy, ModelSpec Spec, int Seed, string Declaration);
