using System.Collections.Generic;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Syntax;

/// <summary><c>layer Name : In -&gt; Out = expression;</c></summary>
public sealed class DslLayerDeclaration : DslDeclaration
{
    public DslLayerDeclaration(DslText text, int end, DslToken keyword, DslToken name, DslNumber inWidth, DslNumber outWidth, DslExpression expression, IReadOnlyList<LanguageDiagnostic> syntaxDiagnostics)
        : base(text, end, keyword, name, inWidth, outWidth, syntaxDiagnostics)
    {
        Expression = expression;
    }

    public DslExpression Expression { get; }
}
