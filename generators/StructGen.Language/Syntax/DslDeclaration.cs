using System.Collections.Generic;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary>
/// A <c>layer</c> or <c>model</c> declaration: <c>keyword Name : In -&gt; Out …</c>. It carries the syntax
/// diagnostics found inside it, so a declaration that does not parse is not generated and says why.
/// </summary>
public abstract class DslDeclaration : DslNode
{
    protected DslDeclaration(DslText text, int end, DslToken keyword, DslToken name, DslNumber inWidth, DslNumber outWidth, IReadOnlyList<LanguageDiagnostic> syntaxDiagnostics)
        : base(text, keyword.Start, end)
    {
        Keyword = keyword;
        Name = name;
        In = inWidth;
        Out = outWidth;
        SyntaxDiagnostics = syntaxDiagnostics;
    }

    public DslToken Keyword { get; }

    public DslToken Name { get; }

    /// <summary>Input width as declared.</summary>
    public DslNumber In { get; }

    /// <summary>Output width as declared.</summary>
    public DslNumber Out { get; }

    /// <summary>Syntax errors reported while this declaration was parsed.</summary>
    public IReadOnlyList<LanguageDiagnostic> SyntaxDiagnostics { get; }
}
