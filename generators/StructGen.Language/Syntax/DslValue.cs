namespace StructGen.Language.Syntax;

/// <summary>An argument value: a number, a shape <c>OutxIn</c>, or a word (<c>true</c>, or a mistake the binder names).</summary>
public abstract class DslValue : DslNode
{
    protected DslValue(DslText text, int start, int end)
        : base(text, start, end)
    {
    }
}
