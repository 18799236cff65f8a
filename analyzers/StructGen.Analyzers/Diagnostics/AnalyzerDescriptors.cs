using Microsoft.CodeAnalysis;
using StructGen.Language.Diagnostics;

namespace StructGen.Analyzers.Diagnostics;

/// <summary>
/// Roslyn descriptors for the catalog entries the analyzers report. The id is written out (release
/// tracking reads it as a constant); title, message, category and help link come from the catalog, so
/// the analyzer and the documentation never drift apart.
/// </summary>
internal static class AnalyzerDescriptors
{
    /// <summary>SG0022: a Forward/Backward buffer whose known length is not <c>batch·features</c>.</summary>
    public static readonly DiagnosticDescriptor CallSiteLength = new(
        "SG0022",
        DiagnosticCatalog.CallSiteLength.Title,
        DiagnosticCatalog.CallSiteLength.MessageFormat,
        DiagnosticCatalog.CallSiteLength.Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: DiagnosticCatalog.CallSiteLength.HelpLink);
}
