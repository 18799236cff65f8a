using System;
using System.Linq;
using StructGen.Language.Collections;

namespace StructGen.Language.Ir
{
    /// <summary>
    /// One parameter tensor of a structure: its name and shape as the PyTorch reference code lays it out
    /// (row-major), and the half-width of the uniform distribution it is initialized from.
    /// </summary>
    /// <param name="Name">Name in checkpoints (e.g. <c>blkdiag1</c>).</param>
    /// <param name="Shape">Shape, last index fastest.</param>
    /// <param name="InitBound">Values start uniform in <c>[-InitBound, InitBound)</c>; see docs/initialization.md.</param>
    /// <param name="InitRule">One line saying why that bound (shown in generated comments).</param>
    public sealed record TensorSpec(string Name, EquatableArray<int> Shape, double InitBound, string InitRule)
    {
        /// <summary>Number of elements, in 64 bits so oversize declarations are caught, not wrapped.</summary>
        public long Length => Shape.Aggregate(1L, (acc, d) => acc * d);

        /// <summary><c>[a, b, c]</c>.</summary>
        public string ShapeText => "[" + string.Join(", ", Shape) + "]";

        public TensorSpec WithPrefix(string prefix) => this with { Name = prefix + Name };

        public static TensorSpec Create(string name, double initBound, string initRule, params int[] shape)
            => new TensorSpec(name, shape.ToEquatableArray(), initBound, initRule);
    }
}
