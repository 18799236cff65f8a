namespace StructGen.Generators.Emit.Cpu;

/// <summary>A product kernel specialized to constant <c>M</c> and <c>K</c> (the row count stays a parameter).</summary>
internal readonly record struct GemmShape(GemmKind Kind, int M, int K)
{
    public string MethodName => $"{Kind}_{M}x{K}";
}
