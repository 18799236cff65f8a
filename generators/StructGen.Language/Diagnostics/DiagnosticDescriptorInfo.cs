namespace StructGen.Language.Diagnostics;

/// <summary>One entry of the catalog: an id that is never renumbered, a title and a message format.</summary>
/// <param name="Id"><c>SG</c> plus four digits.</param>
/// <param name="Title">Short title.</param>
/// <param name="MessageFormat">Message with <c>{0}</c>… placeholders; says what is wrong and what to do.</param>
/// <param name="Severity">Default severity.</param>
/// <param name="Category">Category (Syntax, Shape, Declaration, Usage, Generator).</param>
public sealed record DiagnosticDescriptorInfo(string Id, string Title, string MessageFormat, DiagnosticSeverityLevel Severity, string Category)
{
    /// <summary>Where the documentation of this id lives.</summary>
    public string HelpLink => "https://github.com/structgen/structgen/blob/main/docs/diagnostics.md#" + Id.ToLowerInvariant();
}
