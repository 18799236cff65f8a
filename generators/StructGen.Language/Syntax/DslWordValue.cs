namespace StructGen.Language.Syntax;

/// <summary>A name used as a value (<c>true</c>, <c>false</c>, or a mistake such as <c>blocks: four</c>).</summary>
public sealed class DslWordValue : DslValue
{
    public DslWordValue(DslText text, DslToken word)
        : base(text, word.Start, word.End)
    {
        Word = word;
    }

    public DslToken Word { get; }
}
