using System.Collections.Generic;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary>
/// DSL source text and where it lies: turns offsets in the text into <see cref="SourceSpan"/>s with
/// 0-based lines and columns. For a <c>.sgl</c> file the origin is the start of the file; for the
/// expression of <c>[StructuredLinear("…")]</c> it is the position of the string's first character in
/// the C# file, so every diagnostic lands on the exact character in the editor.
/// </summary>
public sealed class DslText
{
    private readonly int[] _lineStarts;

    /// <param name="text">The DSL text.</param>
    /// <param name="origin">Where the first character of <paramref name="text"/> lies (its <c>Start</c>,
    /// <c>StartLine</c> and <c>StartColumn</c> are used); <c>default</c> for a file of its own.</param>
    public DslText(string text, SourceSpan origin = default)
    {
        Text = text ?? string.Empty;
        Origin = origin;
        _lineStarts = ComputeLineStarts(Text);
    }

    public string Text { get; }

    public SourceSpan Origin { get; }

    public int Length => Text.Length;

    /// <summary>The span of <paramref name="length"/> characters from <paramref name="start"/> (offsets in <see cref="Text"/>).</summary>
    public SourceSpan Span(int start, int length)
    {
        (int startLine, int startColumn) = Position(start);
        (int endLine, int endColumn) = Position(start + length);
        return new SourceSpan(Origin.Start + start, length, startLine, startColumn, endLine, endColumn);
    }

    /// <summary>The span from offset <paramref name="start"/> to offset <paramref name="end"/>.</summary>
    public SourceSpan SpanBetween(int start, int end) => Span(start, end < start ? 0 : end - start);

    private (int Line, int Column) Position(int offset)
    {
        int line = LineOf(offset);
        int column = offset - _lineStarts[line];
        return line == 0
            ? (Origin.StartLine, Origin.StartColumn + column)
            : (Origin.StartLine + line, column);
    }

    private int LineOf(int offset)
    {
        int low = 0, high = _lineStarts.Length - 1;
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (_lineStarts[mid] <= offset)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

    // Line breaks as Roslyn's SourceText counts them, so .sgl lines match the editor's.
    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                starts.Add(i + 1);
            }
            else if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029')
            {
                starts.Add(i + 1);
            }
        }
        return starts.ToArray();
    }
}
