using System.Linq;
using StructGen.Language.Collections;

namespace StructGen.Language.Ir;

/// <summary>
/// A node of the IR: a linear operator <c>In → Out</c> whose weight has a structure. The tree is
/// immutable and value-equatable (records all the way down) so the incremental generator can cache on it.
/// Every node knows its parameter tensors, its FLOPs and its bytes; targets never re-derive shapes.
/// </summary>
public abstract record LayerSpec(int In, int Out)
{
    /// <summary>DSL spelling of the node, e.g. <c>monarch(blocks: 16)</c>.</summary>
    public abstract string Describe();

    /// <summary>Parameter tensors without the bias, in STRUCTURES.md order.</summary>
    public abstract EquatableArray<TensorSpec> Tensors { get; }

    /// <summary>FLOPs of one forward pass for one row (multiply and add count as two).</summary>
    public abstract long ForwardFlopsPerRow { get; }

    /// <summary>Parameters without bias.</summary>
    public long WeightCount => Tensors.Sum(t => t.Length);

    /// <summary>Parameters of the dense layer of the same shape, without bias.</summary>
    public long DenseWeightCount => (long)In * Out;
}
