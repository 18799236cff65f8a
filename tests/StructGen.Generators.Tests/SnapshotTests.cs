using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// The generated code of representative declarations, compared to the baselines in
/// <c>Snapshots/{Test}/</c>. The generated code is part of the product: a change to it is reviewed
/// as a diff of these files (README.md says how to accept one).
/// </summary>
public class SnapshotTests
{
    [Fact]
    public void Dense_without_bias() => Verify(SnapshotDeclarations.DenseWithoutBias);

    [Fact]
    public void LowRank_rectangular_with_seed() => Verify(SnapshotDeclarations.LowRankRectangular);

    [Fact]
    public void Monarch_square_blocks() => Verify(SnapshotDeclarations.MonarchSquareBlocks);

    [Fact]
    public void Monarch_streamed_output() => Verify(SnapshotDeclarations.MonarchStreamedOutput);

    [Fact]
    public void Monarch_padded_rectangular() => Verify(SnapshotDeclarations.MonarchPadded, new[] { "SG0007", "SG0007" });

    [Fact]
    public void Kronecker_explicit_factors() => Verify(SnapshotDeclarations.KroneckerExplicitFactors);

    [Fact]
    public void Blast_rectangular_grid() => Verify(SnapshotDeclarations.BlastRectangularGrid);

    [Fact]
    public void BlockDiagonal_rectangular() => Verify(SnapshotDeclarations.BlockDiagonal);

    [Fact]
    public void Nested_in_partial_class_and_struct() => Verify(SnapshotDeclarations.NestedInPartialTypes);

    [Fact]
    public void Global_namespace() => Verify(SnapshotDeclarations.GlobalNamespace);

    [Fact]
    public void Output_is_deterministic_across_runs()
    {
        string first = GeneratorHarness.Run(SnapshotDeclarations.BlastRectangularGrid).Sources.Single().SourceText.ToString();
        string second = GeneratorHarness.Run(SnapshotDeclarations.BlastRectangularGrid).Sources.Single().SourceText.ToString();
        Assert.Equal(first, second);
    }

    /// <summary>Runs the generator on <paramref name="source"/>: exactly the expected warnings, one output, matching its baseline.</summary>
    private static void Verify(string source, string[]? expectedWarnings = null, [CallerMemberName] string test = "")
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Null(run.Result.Exception);
        Assert.Equal(expectedWarnings ?? [], run.Diagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal).ToArray());
        Assert.All(run.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Single(run.Sources);
        Snapshot.Verify(test, run.Sources.Select(s => (s.HintName, s.SourceText.ToString())));
    }
}
