using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StructGen.Generators;

namespace StructGen.Gpu.Tests.Generator;

/// <summary>The GPU generator's switch (the ILGPU reference), its silence on bad declarations, and its caching.</summary>
public class GpuGeneratorTests
{
    private const string Layers = """
        using StructGen;
        namespace Demo.Layers;
        [Dense(In = 37, Out = 29)] public partial class Dense37x29;
        [LowRank(r: 5, In = 40, Out = 23)] public partial class LowRank40x23;
        [Monarch(blocks: 3, In = 10, Out = 14)] public partial class MonarchPadded10x14;
        [Kronecker(In = 12, Out = 35, In1 = 3, Out1 = 5)] public partial class Kron12x35;
        [BLAST(blocks: 2, r: 4, In = 20, Out = 18, RowBlocks = 3, ColumnBlocks = 4)] public partial class BlastGrid;
        [BlockDiagonal(blocks: 4, In = 10, Out = 7)] public partial class BlockDiagPadded10x7;
        """;

    private const string Composite = """
        using StructGen;
        namespace Demo.Layers;
        [StructuredLinear("dense + lowrank(r: 4) -> 16 -> monarch(blocks: 2)", In = 24, Out = 12)] public partial class InlineChain;
        """;

    private static readonly (string Path, string Text)[] s_sgl =
    {
        ("/project/Model.sgl", """
            namespace Demo.Models;
            layer Up : 16 -> 32 = monarch(blocks: 4) + lowrank(r: 2);
            model Mlp : 16 -> 10 { Up; gelu; dense + lowrank(r: 3) -> 20; relu; lowrank(r: 4) -> 10; sigmoid; }
            """),
    };

    [Fact]
    public void Without_ILGPU_nothing_GPU_related_is_generated_and_the_project_compiles()
    {
        GpuRun run = GpuGeneratorHarness.Run(ilgpu: false, s_sgl, Layers, Composite);
        Assert.Empty(run.Gpu.GeneratedSources);
        Assert.Empty(run.Gpu.Diagnostics);
        Assert.Null(run.Gpu.Exception);
        Assert.Equal(9, run.Main.GeneratedSources.Length); // the CPU layers and the .sgl layer and model are all there
        Assert.All(run.AllSources, s => Assert.DoesNotContain("ILGPU", s.SourceText.ToString()));
        Assert.Empty(run.Errors());
        Assert.Empty(run.GeneratedCodeDiagnostics());
    }

    [Fact]
    public void With_ILGPU_every_layer_gets_a_GPU_part_that_compiles_cleanly()
    {
        GpuRun run = GpuGeneratorHarness.Run(ilgpu: true, Layers);
        Assert.Equal(
            new[] { "Dense37x29", "LowRank40x23", "MonarchPadded10x14", "Kron12x35", "BlastGrid", "BlockDiagPadded10x7" }.Select(n => $"Demo.Layers.{n}.Gpu.g.cs").OrderBy(n => n),
            run.Gpu.GeneratedSources.Select(s => s.HintName).OrderBy(n => n));
        Assert.Empty(run.Gpu.Diagnostics);
        Assert.Empty(run.Errors());
        Assert.Empty(run.GeneratedCodeDiagnostics());
    }

    [Fact]
    public void With_ILGPU_DSL_layers_and_models_get_a_GPU_part_next_to_their_CPU_part()
    {
        GpuRun run = GpuGeneratorHarness.Run(ilgpu: true, s_sgl, Composite);
        Assert.Equal(
            new[] { "Demo.Layers.InlineChain.Gpu.g.cs", "Demo.Models.Up.sgl.Gpu.g.cs", "Demo.Models.Mlp.sgl.Gpu.g.cs" }.OrderBy(n => n),
            run.Gpu.GeneratedSources.Select(s => s.HintName).OrderBy(n => n));
        Assert.Equal(
            run.Main.GeneratedSources.Select(s => s.HintName.Replace(".g.cs", ".Gpu.g.cs")).OrderBy(n => n),
            run.Gpu.GeneratedSources.Select(s => s.HintName).OrderBy(n => n));
        Assert.Contains("GpuLauncher : global::StructGen.Gpu.GpuModel", run.Gpu.GeneratedSources.Single(s => s.HintName.Contains("Mlp")).SourceText.ToString());
        Assert.Empty(run.Gpu.Diagnostics);
        Assert.Empty(run.Errors());
        Assert.Empty(run.GeneratedCodeDiagnostics());
    }

    [Fact]
    public void The_documentation_model_example_generates_and_compiles()
    {
        // docs/gpu.md, "Composite layers and models".
        (string, string)[] files =
        {
            ("/project/Layers.sgl", """
                namespace Demo;
                layer Adapter : 768 -> 768 = dense + lowrank(r: 8, alpha: 16);
                model Mlp     : 768 -> 10  { monarch(blocks: 16) -> 768; gelu; Adapter; tanh; lowrank(r: 8) -> 10; }
                """),
        };
        GpuRun run = GpuGeneratorHarness.Run(ilgpu: true, files);
        Assert.Empty(run.Main.Diagnostics);
        Assert.Equal(new[] { "Demo.Adapter.sgl.Gpu.g.cs", "Demo.Mlp.sgl.Gpu.g.cs" }, run.Gpu.GeneratedSources.Select(s => s.HintName).OrderBy(n => n));
        Assert.Empty(run.Errors());
        Assert.Empty(run.GeneratedCodeDiagnostics());
    }

    [Fact]
    public void Rejected_declarations_get_no_GPU_part_and_only_the_main_generator_reports()
    {
        const string source = """
            using StructGen;
            namespace Demo.Layers;
            [LowRank(r: 500, In = 40, Out = 23)] public partial class TooHighRank;
            [Monarch(blocks: 4, In = 64, Out = 64)] public class NotPartial;
            """;
        GpuRun run = GpuGeneratorHarness.Run(ilgpu: true, source);
        Assert.Empty(run.Gpu.GeneratedSources);
        Assert.Empty(run.Gpu.Diagnostics);
        Assert.Contains(run.Main.Diagnostics, d => d.Id == "SG0008");
        Assert.Contains(run.Main.Diagnostics, d => d.Id == "SG0013");
    }

    [Fact]
    public void An_unrelated_edit_regenerates_no_GPU_part()
    {
        CSharpCompilation first = GpuGeneratorHarness.Compilation(ilgpu: true, Layers, Composite);
        GeneratorDriver driver = GpuGeneratorHarness.Driver(s_sgl).RunGenerators(first);
        CSharpCompilation second = first.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public static class Unrelated { }", new CSharpParseOptions(LanguageVersion.Latest), "Unrelated.cs"));
        driver = driver.RunGenerators(second);
        GeneratorRunResult gpu = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(GpuLayerGenerator));
        foreach (string step in new[] { GpuLayerGenerator.Steps.GpuModels, GpuLayerGenerator.Steps.GpuSglModels })
        {
            var reasons = gpu.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    [Fact]
    public void Removing_the_ILGPU_reference_removes_the_GPU_parts()
    {
        CSharpCompilation with = GpuGeneratorHarness.Compilation(ilgpu: true, Layers);
        GeneratorDriver driver = GpuGeneratorHarness.Driver().RunGenerators(with);
        Assert.Equal(6, driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(GpuLayerGenerator)).GeneratedSources.Length);
        CSharpCompilation without = with.RemoveReferences(with.References.Where(r => r.Display?.Contains("ILGPU") == true));
        driver = driver.RunGenerators(without);
        Assert.Empty(driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(GpuLayerGenerator)).GeneratedSources);
    }
}
