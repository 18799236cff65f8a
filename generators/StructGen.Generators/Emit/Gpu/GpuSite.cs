namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// Where a structure sits in a launcher: the class path of its kernels (<c>T1_F0</c>; empty at the root), its
/// tensor-name prefix (<c>1.0.</c>), the launcher views it reads and writes, and how it writes them. A sum's
/// terms after the first add into the output and the input gradient; a chain's inner factors read and write
/// scratch activations; the bias is fused into exactly one product that stores the output.
/// </summary>
/// <param name="Path">Kernel class path; empty for the root.</param>
/// <param name="TensorPrefix">Prefix of the structure's tensors in the layer (<c>Tensors</c> names).</param>
/// <param name="X">Launcher view of the input.</param>
/// <param name="Y">Launcher view of the output.</param>
/// <param name="Dy">Launcher view of the output gradient.</param>
/// <param name="Dx">Launcher view of the input gradient.</param>
/// <param name="AddOutput">The output is added to, not stored.</param>
/// <param name="AddInputGradient">The input gradient is added to, not stored.</param>
/// <param name="Bias">The bias is fused into the product that writes the output.</param>
/// <param name="BiasOffset">Where that bias lives when it is not the root's <c>OffsetBias</c> (a model step's).</param>
internal sealed record GpuSite(string Path, string TensorPrefix, string X, string Y, string Dy, string Dx, bool AddOutput, bool AddInputGradient, bool Bias, long? BiasOffset)
{
    /// <summary>The child class path: <c>T1</c> under the root, <c>T1_F0</c> under <c>T1</c>.</summary>
    public string Child(string name) => Path.Length == 0 ? name : Path + "_" + name;

    /// <summary>A launcher local of this site: <c>h0</c> at the root, <c>t1_h0</c> under <c>T1</c>.</summary>
    public string Local(string name) => Path.Length == 0 ? name : Path.ToLowerInvariant() + "_" + name;
}
