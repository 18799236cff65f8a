using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// The generated code of DSL declarations, compared to the baselines in <c>Snapshots/{Test}/</c>: a .sgl
/// file with a scaled adapter, a sum and a model that uses it; an inline [StructuredLinear] sum inside a
/// chain; a model in the global namespace with every activation.
/// </summary>
public class DslSnapshotTests
{
    private const string LayersFile = """
        // Layers of a .sgl file: each becomes a public sealed partial class in Demo.Dsl.
        namespace Demo.Dsl;

        layer Adapter    : 24 -> 16 = dense + lowrank(r: 4, alpha: 8);
        layer Mixed      : 16 -> 16 = kronecker(4x4, 4x4) + blockdiag(blocks: 2);
        model Tiny       : 16 -> 4  { Mixed; relu; lowrank(r: 2) -> 4; }
        """;

    private const string ComposedAttribute = """
        using StructGen;

        namespace Demo.Inline;

        [StructuredLinear("dense + monarch(blocks: 2) -> 8 -> lowrank(r: 2)", In = 12, Out = 10)]
        public partial class Composed;
        """;

    private const string GlobalModelFile = """
        model Activations : 8 -> 6 { gelu; dense -> 8; tanh; sigmoid; lowrank(r: 2) -> 6; relu; }
        """;

    [Fact]
    public void Sgl_file_with_adapter_sum_and_model()
    {
        GeneratorRun run = DslHarness.RunFile(LayersFile, "/project/Demo.sgl");
        Verify(run, ["Demo.Dsl.Adapter.sgl.g.cs", "Demo.Dsl.Mixed.sgl.g.cs", "Demo.Dsl.Tiny.sgl.g.cs"]);
    }

    [Fact]
    public void StructuredLinear_sum_inside_a_chain()
    {
        GeneratorRun run = DslHarness.Run([], ComposedAttribute);
        Verify(run, ["Demo.Inline.Composed.g.cs"]);
    }

    [Fact]
    public void Sgl_model_in_the_global_namespace_with_every_activation()
    {
        GeneratorRun run = DslHarness.RunFile(GlobalModelFile, "/project/Global.sgl");
        Verify(run, ["Activations.sgl.g.cs"]);
    }

    [Fact]
    public void Sgl_output_is_deterministic_across_runs()
    {
        string[] first = DslHarness.RunFile(LayersFile).Sources.Select(s => s.SourceText.ToString()).ToArray();
        string[] second = DslHarness.RunFile(LayersFile).Sources.Select(s => s.SourceText.ToString()).ToArray();
        Assert.Equal(first, second);
    }

    /// <summary>No error or generator failure, the expected hint names, code that compiles cleanly, and the baselines.</summary>
    private static void Verify(GeneratorRun run, string[] hints, [CallerMemberName] string test = "")
    {
        Assert.Null(run.Result.Exception);
        Assert.All(run.Diagnostics, d => Assert.NotEqual(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal(hints, run.Sources.Select(s => s.HintName).OrderBy(h => h, System.StringComparer.Ordinal).ToArray());
        Assert.Empty(run.GeneratedCodeDiagnostics());
        Snapshot.Verify(test, run.Sources.Select(s => (s.HintName, s.SourceText.ToString())));
    }
}
