using System.Collections.Generic;

namespace StructGen.Language.Syntax;

/// <summary>
/// A name with an optional argument list: a structure (<c>dense</c>, <c>lowrank(r: 8)</c>,
/// <c>kronecker(32x32, 32x32)</c>), a layer declared in the file, or (as a model step) an activation.
/// The binder decides which.
/// </summary>
public sealed class DslCallExpression : DslExpression
{
    public DslCallExpression(DslText text, DslToken name, DslToken? openParen, IReadOnlyList<DslArgument> arguments, DslToken? closeParen)
        : base(text, name.Start, closeParen is { IsMissing: false } ? closeParen.End : arguments.Count > 0 ? arguments[arguments.Count - 1].End : openParen?.End ?? name.End)
    {
        Name = name;
        OpenParen = openParen;
        Arguments = arguments;
        CloseParen = closeParen;
    }

    public DslToken Name { get; }

    /// <summary><c>(</c>, or null when the name is written alone.</summary>
    public DslToken? OpenParen { get; }

    public IReadOnlyList<DslArgument> Arguments { get; }

    public DslToken? CloseParen { get; }

    public bool HasArgumentList => OpenParen is not null;
}
