namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// A register block of a product kernel: <see cref="Rows"/> rows × <see cref="Vectors"/> vectors of accumulators of
/// one width, held in registers over the whole reduction. Written once per layer as a method the products' loops
/// call (<see cref="MicroKernelEmitter"/>), so each product shape adds loops, not another copy of the block.
/// </summary>
internal readonly record struct MicroKernel(GemmKind Kind, int Rows, int Vectors, VectorWidth Width)
{
    public string MethodName => $"{Kind}{Rows}x{Vectors}_{Width.Suffix}";
}
