using System.Collections.Generic;
using System.Linq;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>The register blocks one layer's products call, collected while the products are written, emitted once each.</summary>
internal sealed class MicroKernelSet
{
    private readonly HashSet<MicroKernel> _kernels = new();

    /// <summary>A call to <paramref name="kernel"/>, registering it.</summary>
    public string Call(MicroKernel kernel, string arguments)
    {
        _kernels.Add(kernel);
        return $"{kernel.MethodName}({arguments});";
    }

    /// <summary>Kind, then widest first, then rows and vectors: a stable order for the generated text.</summary>
    public IEnumerable<MicroKernel> Ordered => _kernels
        .OrderBy(k => k.Kind).ThenByDescending(k => k.Width.Lanes).ThenByDescending(k => k.Rows).ThenByDescending(k => k.Vectors);
}
