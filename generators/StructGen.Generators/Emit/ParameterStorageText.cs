using StructGen.Generators.Helpers;

namespace StructGen.Generators.Emit;

/// <summary>
/// How a generated layer or model stores its parameters and gradients, written once for both emitters: pinned arrays
/// used from a cache-line boundary (<c>StructGen.Kernels.AlignedArray</c>), the fields, the members that expose them as
/// spans of that aligned view, and the references the kernels start from.
/// </summary>
internal static class ParameterStorageText
{
    private const string Aligned = "global::StructGen.Kernels.AlignedArray";

    /// <summary>The two storage fields, with their comment.</summary>
    public static void WriteFields(IndentedTextWriter w)
    {
        w.Line("// Pinned arrays used from a cache-line boundary (AlignedArray.Start), so vector loads of weights and gradients never span two lines.");
        w.Line($"private readonly float[] _parameters = {Aligned}.Allocate(ParameterTotal);");
        w.Line($"private readonly float[] _gradients = {Aligned}.Allocate(ParameterTotal);");
    }

    /// <summary><c>Parameters</c>, <c>Gradients</c>, <c>Tensors</c> and <c>ZeroGradients</c>, as <c>IStructuredLinear</c> and <c>IStructuredModel</c> declare them.</summary>
    public const string Members =
$@"/// <inheritdoc />
public Span<float> Parameters => {Aligned}.Span(_parameters, ParameterTotal);

/// <inheritdoc />
public Span<float> Gradients => {Aligned}.Span(_gradients, ParameterTotal);

/// <inheritdoc />
public IReadOnlyList<global::StructGen.ParameterTensor> Tensors => s_tensors;

/// <inheritdoc />
public void ZeroGradients() => Gradients.Clear();";

    /// <summary>The kernels' reference to the first parameter.</summary>
    public const string ParametersRef = "ref float p = ref " + Aligned + ".Start(_parameters);";

    /// <summary>The kernels' reference to the first gradient (models; a layer's backward takes its gradients as a span).</summary>
    public const string GradientsRef = "ref float g = ref " + Aligned + ".Start(_gradients);";
}
