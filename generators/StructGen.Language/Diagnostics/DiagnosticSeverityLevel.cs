namespace StructGen.Language.Diagnostics;

/// <summary>Severity of a language diagnostic (mapped onto Roslyn's by the generator and analyzers).</summary>
public enum DiagnosticSeverityLevel
{
    Info,
    Warning,
    Error,
}
