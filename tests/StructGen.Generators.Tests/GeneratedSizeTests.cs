using System.Linq;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// Generated code is bounded: loops are unrolled to the register block, never over the matrix, so a
/// 16384 × 16384 declaration generates about as much code as a 64 × 64 one of the same structure.
/// </summary>
public class GeneratedSizeTests
{
    [Theory]
    [InlineData("Dense", "")]
    [InlineData("LowRank", "r: 64, ")]
    [InlineData("Monarch", "blocks: 128, ")]
    [InlineData("BlockDiagonal", "blocks: 64, ")]
    [InlineData("BLAST", "16, 64, ")]
    [InlineData("Kronecker", "")]
    public void A_16384_square_layer_generates_about_as_much_code_as_a_small_one(string structure, string arguments)
    {
        int large = GeneratedLength(structure, arguments, 16384);
        string smallArguments = arguments.Replace("blocks: 128", "blocks: 8").Replace("blocks: 64", "blocks: 8").Replace("16, 64", "4, 8").Replace("r: 64", "r: 8");
        int small = GeneratedLength(structure, smallArguments, 64);

        // A large layer has a bounded number of extra kernels (a forward product too large to pack whole is
        // packed in panels, each panel shape and its tails getting a kernel; Vector512 has blocks of 8 rows and a
        // 4-row tail block beside them), never code per row or block.
        Assert.True(large < 360_000, $"{structure} 16384×16384 generated {large:N0} characters");
        Assert.True(large < 4.0 * small, $"{structure}: 16384×16384 generated {large:N0} characters, 64×64 {small:N0}: code grows with the matrix");
    }

    private static int GeneratedLength(string structure, string arguments, int size)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using StructGen;
            namespace Demo;
            [{{structure}}({{arguments}}In = {{size}}, Out = {{size}}, Bias = true)] public partial class Layer;
            """);
        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var sources = run.Sources.Where(s => s.HintName.Contains("Layer") && !s.HintName.Contains(".Gpu.")).ToList();
        Assert.Single(sources);
        return sources[0].SourceText.Length;
    }
}
