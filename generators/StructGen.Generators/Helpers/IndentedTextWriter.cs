using System;
using System.Text;

namespace StructGen.Generators.Helpers;

/// <summary>Writes C# with indentation; every emitter writes through one of these.</summary>
internal sealed class IndentedTextWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;
    private bool _atLineStart = true;

    public int Indent => _indent;

    public IndentedTextWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            WriteIndent();
            _builder.Append(text);
        }
        _builder.Append('\n');
        _atLineStart = true;
        return this;
    }

    /// <summary>Writes several lines (split on '\n'), each indented.</summary>
    public IndentedTextWriter Lines(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            Line(line.TrimEnd('\r'));
        }
        return this;
    }

    /// <summary>Opens a brace block; dispose the result to close it.</summary>
    public Block OpenBlock(string? header = null, string close = "}")
    {
        if (header is not null)
        {
            Line(header);
        }
        Line("{");
        _indent++;
        return new Block(this, close);
    }

    public void IncreaseIndent() => _indent++;

    public void DecreaseIndent() => _indent--;

    public override string ToString() => _builder.ToString();

    private void WriteIndent()
    {
        if (_atLineStart)
        {
            _builder.Append(' ', _indent * 4);
            _atLineStart = false;
        }
    }

    internal readonly struct Block : IDisposable
    {
        private readonly IndentedTextWriter _writer;
        private readonly string _close;

        public Block(IndentedTextWriter writer, string close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_close);
        }
    }
}
