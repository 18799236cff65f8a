using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary>A node of the DSL syntax tree: where it starts and ends in the DSL text and its span in the file.</summary>
public abstract class DslNode
{
    private readonly DslText _text;

    protected DslNode(DslText text, int start, int end)
    {
        _text = text;
        Start = start;
        End = end < start ? start : end;
        Span = text.SpanBetween(Start, End);
    }

    /// <summary>Offset of the first character in the DSL text.</summary>
    public int Start { get; }

    /// <summary>Offset just past the last character in the DSL text.</summary>
    public int End { get; }

    /// <summary>Where the node lies in the file.</summary>
    public SourceSpan Span { get; }

    /// <summary>The node as written (for messages and tests).</summary>
    public string WrittenText => _text.Text.Substring(Start, End - Start);
}
