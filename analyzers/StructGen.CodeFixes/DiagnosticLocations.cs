using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace StructGen.CodeFixes;

/// <summary>
/// Where a generator diagnostic lies in a document. The generator keeps its models free of syntax trees,
/// so it reports locations by file path and span (external-file locations); the IDE may hand them over
/// as such or mapped onto the document's tree. Both are accepted when they name this document.
/// </summary>
internal static class DiagnosticLocations
{
    public static bool TryGetSpan(Diagnostic diagnostic, SyntaxTree tree, out TextSpan span)
    {
        Location location = diagnostic.Location;
        span = location.SourceSpan;
        bool inTree = location.Kind switch
        {
            LocationKind.SourceFile => location.SourceTree == tree,
            LocationKind.ExternalFile => tree.FilePath.Length > 0
                && string.Equals(location.GetLineSpan().Path, tree.FilePath, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
        return inTree && span.End <= tree.Length;
    }
}
