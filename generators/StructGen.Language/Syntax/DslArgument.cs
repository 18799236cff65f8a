namespace StructGen.Language.Syntax;

/// <summary>One argument of a structure call: <c>blocks: 4</c> (named) or <c>32x32</c> (positional, Kronecker factors).</summary>
public sealed class DslArgument : DslNode
{
    public DslArgument(DslText text, DslToken? name, DslToken? colon, DslValue? value, int start, int end)
        : base(text, start, end)
    {
        Name = name;
        Colon = colon;
        Value = value;
    }

    /// <summary>The argument's name, or null for a positional argument.</summary>
    public DslToken? Name { get; }

    public DslToken? Colon { get; }

    /// <summary>The value, or null where the parser found none (and reported it).</summary>
    public DslValue? Value { get; }

    public bool IsNamed => Name is not null;
}
