using System.Collections.Generic;
using System.Linq;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>The product kernels one layer calls, collected while its passes are written, emitted once each.</summary>
internal sealed class KernelSet
{
    private readonly SortedSet<GemmShape> _shapes = new(Comparer<GemmShape>.Create((a, b) =>
        a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.M != b.M ? a.M.CompareTo(b.M) : a.K.CompareTo(b.K)));

    public IReadOnlyCollection<GemmShape> Shapes => _shapes;

    /// <summary>A call to the kernel of that shape, registering it.</summary>
    public string Call(GemmKind kind, int m, int k, string arguments)
    {
        var shape = new GemmShape(kind, m, k);
        _shapes.Add(shape);
        // A forward product that packs wᵀ (whole or in panels) runs the axpy-form kernel on it (see GemmEmitter).
        foreach (GemmShape dependency in GemmEmitter.Dependencies(shape))
        {
            _shapes.Add(dependency);
        }
        return $"Gemm.{shape.MethodName}({arguments});";
    }

    public bool Any => _shapes.Any();
}
