using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using StructGen.Language.Diagnostics;

namespace StructGen.Generators;

/// <summary>Roslyn descriptors for the language's diagnostic catalog (one descriptor per id, made once).</summary>
internal static class DiagnosticDescriptors
{
    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Build();

    public static DiagnosticDescriptor Get(DiagnosticDescriptorInfo info)
        => s_byId.TryGetValue(info.Id, out DiagnosticDescriptor? d) ? d : Create(info);

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var map = new Dictionary<string, DiagnosticDescriptor>();
        foreach (DiagnosticDescriptorInfo info in DiagnosticCatalog.All)
        {
            map[info.Id] = Create(info);
        }
        return map;
    }

    private static DiagnosticDescriptor Create(DiagnosticDescriptorInfo info) => new(
        info.Id, info.Title, info.MessageFormat, info.Category,
        info.Severity switch
        {
            DiagnosticSeverityLevel.Error => DiagnosticSeverity.Error,
            DiagnosticSeverityLevel.Warning => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Info,
        },
        isEnabledByDefault: true,
        helpLinkUri: info.HelpLink);
}
