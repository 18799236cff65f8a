namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// An intermediate a facet keeps in its scratch, as a composite copies it to and from its saved rows: where its rows
/// start (<see cref="Home"/>, an lvalue expression valid in the forward and the backward tile bodies), their row stride
/// (<see cref="Stride"/>, an expression), how many floats of each row to keep (<see cref="Width"/>) and what it is.
/// </summary>
internal readonly record struct KeptRows(string Home, string Stride, int Width, string What);
