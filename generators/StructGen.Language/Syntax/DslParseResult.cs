using System.Collections.Generic;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary>A parsed tree with its text, its tokens and every syntax diagnostic (in text order).</summary>
public sealed class DslParseResult<TRoot>
    where TRoot : DslNode
{
    public DslParseResult(DslText text, TRoot root, IReadOnlyList<DslToken> tokens, IReadOnlyList<LanguageDiagnostic> diagnostics)
    {
        Text = text;
        Root = root;
        Tokens = tokens;
        Diagnostics = diagnostics;
    }

    public DslText Text { get; }

    public TRoot Root { get; }

    public IReadOnlyList<DslToken> Tokens { get; }

    public IReadOnlyList<LanguageDiagnostic> Diagnostics { get; }
}
