namespace StructGen.Language.Diagnostics;

/// <summary>
/// A span in a source text: character offset and length, plus 0-based line/column of its start and end.
/// For an attribute, the span of the argument (or attribute) in the C# file; for DSL text, in the
/// <c>.sgl</c> file. Plain values, never a Roslyn location, so models stay cacheable.
/// </summary>
public readonly record struct SourceSpan(int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public int End => Start + Length;

    public static SourceSpan None => default;

    public override string ToString() => $"({StartLine + 1},{StartColumn + 1})-({EndLine + 1},{EndColumn + 1})";
}
