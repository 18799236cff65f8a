using System.Linq;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// Vector tails: a product gets no Vector512 variant where it would leave half a vector or more of scalar tail, and
/// the axpy forms take the rest of a tail in Vector128 steps. (Monarch with 28-wide blocks on an AVX-512 host once ran
/// 12 of its 28 columns as scalar loops: 7–10 × slower than with these rules. Speed is shown in the benchmarks; this
/// test pins the shape of the code that gives it.)
/// </summary>
public class VectorTailTests
{
    [Fact]
    public void Blocks_28_wide_get_Vector256_with_a_Vector128_step_instead_of_Vector512_with_12_scalar_columns()
    {
        string code = Generated("[Monarch(blocks: 28, In = 784, Out = 784)]");
        Assert.DoesNotContain("Nn_28x28_V512", code, System.StringComparison.Ordinal);
        Assert.DoesNotContain("Tn_28x28_V512", code, System.StringComparison.Ordinal);
        Assert.Contains("private static void Nn_28x28_V256", code, System.StringComparison.Ordinal);
        Assert.Contains("Nn4x1_V128(", code, System.StringComparison.Ordinal);  // columns 24 … 27 of the forward and input-gradient products
        Assert.Contains("Tn4x1_V128(", code, System.StringComparison.Ordinal);  // and of the weight gradients
    }

    [Fact]
    public void A_tail_under_half_a_vector_keeps_Vector512_and_takes_its_tail_in_Vector128_steps()
    {
        // In = 100 = 6·16 + 4: Vector512 stays; the 4 tail columns of the input-gradient product are one Vector128 step.
        string code = Generated("[LowRank(r: 8, In = 100, Out = 300)]");
        Assert.Contains("private static void Nn_8x100_V512", code, System.StringComparison.Ordinal);
        Assert.Contains("nint k = 96; // 1 Vector128 vector(s) of the tail instead of scalars", code, System.StringComparison.Ordinal);
    }

    private static string Generated(string attribute) => GeneratorHarness.LayerSource(attribute);
}
