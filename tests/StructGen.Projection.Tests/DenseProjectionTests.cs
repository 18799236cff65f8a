using StructGen.Projection.Tests.Oracle;

namespace StructGen.Projection.Tests;

public sealed class DenseProjectionTests
{
    [Fact]
    public void Dense_is_a_copy_in_weight()
    {
        float[] w = TestMatrices.Uniform(3 * 4, seed: 1);

        ProjectedStructure result = DenseProjection.Project(w, 3, 4);

        Assert.Equal("dense", result.Description);
        Assert.Equal([3, 4], result["weight"].Shape);
        Assert.Equal(w, result["weight"].Data);
        Assert.NotSame(w, result["weight"].Data);
    }
}
