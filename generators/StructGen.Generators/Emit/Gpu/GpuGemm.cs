using System.Globalization;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>A product dimension: a constant, or a multiple of the batch (<c>rows</c>).</summary>
internal readonly record struct GpuExtent(int Factor, bool PerRow)
{
    public static GpuExtent Const(int value) => new(value, false);

    public static GpuExtent Rows(int factor = 1) => new(factor, true);

    /// <summary>The C# expression of the extent inside a kernel or launcher (<c>rows * 9</c>, <c>16</c>).</summary>
    public string Code => PerRow ? (Factor == 1 ? "rows" : "rows * " + Factor.ToString(CultureInfo.InvariantCulture)) : Factor.ToString(CultureInfo.InvariantCulture);

    /// <summary>For comments: <c>rows·9</c>, <c>16</c>.</summary>
    public string Text => PerRow ? (Factor == 1 ? "rows" : "rows·" + Factor.ToString(CultureInfo.InvariantCulture)) : Factor.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// An input of a product: the device buffer it reads and the index of element <c>(g, m, k)</c> (for A) or
/// <c>(g, k, n)</c> (for B) as a C# expression, with an optional extra condition (fly's padding: features
/// past <c>In</c> read as zero). <paramref name="FastIndex"/> names the index that walks memory contiguously,
/// so consecutive threads load consecutive addresses.
/// </summary>
internal sealed record GpuOperand(string Buffer, string Index, char FastIndex, string? Valid = null);

/// <summary>
/// The output of a product: buffer and index of element <c>(g, m, n)</c>, an optional condition (padded
/// outputs are not stored), whether the result is added (gradients accumulate) or stored, and an optional
/// addend fused into the store (the bias), and an optional factor the product is multiplied by before it
/// is stored (a constant such as the adapter's <c>Scaling</c>).
/// </summary>
internal sealed record GpuOutput(string Buffer, string Index, bool Accumulate, string? Valid = null, string? AddendBuffer = null, string? Addend = null, string? Scale = null);

/// <summary>
/// One ILGPU product kernel: <c>C[g][m, n] (+)= Σ_k A[g][m, k]·B[g][k, n]</c> for <c>g &lt; G</c> independent
/// blocks, with every layout folded into the index expressions (the Monarch permutation, block strides,
/// transposes), so no data is moved between steps.
/// </summary>
/// <param name="Name">Kernel method name.</param>
/// <param name="Summary">What it computes, in the structure's notation (shown in the generated docs).</param>
/// <param name="G">Independent blocks.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">The reduced dimension.</param>
internal sealed record GpuGemm(string Name, string Summary, GpuExtent G, GpuExtent M, GpuExtent N, GpuExtent K, GpuOperand A, GpuOperand B, GpuOutput C)
{
    /// <summary>The device buffers the kernel takes, in parameter order (distinct, first use first).</summary>
    public System.Collections.Generic.IReadOnlyList<string> Buffers
    {
        get
        {
            var list = new System.Collections.Generic.List<string>();
            foreach (string? b in new[] { A.Buffer, B.Buffer, C.Buffer, C.AddendBuffer })
            {
                if (b is not null && !list.Contains(b))
                {
                    list.Add(b);
                }
            }
            return list;
        }
    }

    /// <summary>Multiply-adds × 2 per launch, as a comment (<c>2·G·M·N·K</c>).</summary>
    public string FlopsText => $"2·{G.Text}·{M.Text}·{N.Text}·{K.Text}";
}
