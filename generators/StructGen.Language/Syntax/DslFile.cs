using System.Collections.Generic;

namespace StructGen.Language.Syntax;

/// <summary>A <c>.sgl</c> file: an optional <c>namespace</c> then <c>layer</c> and <c>model</c> declarations.</summary>
public sealed class DslFile : DslNode
{
    public DslFile(DslText text, DslNamespace? @namespace, IReadOnlyList<DslDeclaration> declarations)
        : base(text, 0, text.Length)
    {
        Namespace = @namespace;
        Declarations = declarations;
    }

    public DslNamespace? Namespace { get; }

    public IReadOnlyList<DslDeclaration> Declarations { get; }
}
