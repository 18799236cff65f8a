using System.Collections.Generic;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary><c>model Name : In -&gt; Out { step; step; … }</c></summary>
public sealed class DslModelDeclaration : DslDeclaration
{
    public DslModelDeclaration(DslText text, int end, DslToken keyword, DslToken name, DslNumber inWidth, DslNumber outWidth, IReadOnlyList<DslStep> steps, IReadOnlyList<LanguageDiagnostic> syntaxDiagnostics)
        : base(text, end, keyword, name, inWidth, outWidth, syntaxDiagnostics)
    {
        Steps = steps;
    }

    public IReadOnlyList<DslStep> Steps { get; }
}
