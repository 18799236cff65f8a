using System.Collections.Generic;
using System.Linq;

namespace StructGen.Language.Syntax;

/// <summary><c>namespace Demo.Layers;</c>: the C# namespace the file's layers and models are generated in.</summary>
public sealed class DslNamespace : DslNode
{
    public DslNamespace(DslText text, DslToken keyword, IReadOnlyList<DslToken> parts, DslToken semicolon)
        : base(text, keyword.Start, semicolon.IsMissing ? parts.Count > 0 ? parts[parts.Count - 1].End : keyword.End : semicolon.End)
    {
        Keyword = keyword;
        Parts = parts;
        Semicolon = semicolon;
    }

    public DslToken Keyword { get; }

    /// <summary>The identifiers between the dots (missing ones included).</summary>
    public IReadOnlyList<DslToken> Parts { get; }

    public DslToken Semicolon { get; }

    public string Name => string.Join(".", Parts.Where(p => !p.IsMissing).Select(p => p.Text));
}
