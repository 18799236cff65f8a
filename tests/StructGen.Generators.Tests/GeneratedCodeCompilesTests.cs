using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Tests.Infrastructure;

namespace StructGen.Generators.Tests;

/// <summary>
/// What the generator writes compiles, with no warnings either (users build with warnings as errors),
/// alone, side by side, for random valid shapes, and when user code calls the layer.
/// </summary>
public class GeneratedCodeCompilesTests
{
    /// <summary>User code that calls every member of <see cref="IStructuredLinear"/> on a generated layer.</summary>
    private const string Caller = """
        using System;
        using StructGen;

        public static class Caller
        {
            public static float Run()
            {
                IStructuredLinear layer = new Demo.Layers.FfnUp();
                var input = new float[2 * layer.InFeatures];
                var output = new float[2 * layer.OutFeatures];
                layer.Forward(input, output, 2);
                layer.Backward(input, output, input, 2);
                var dense = new float[layer.InFeatures * layer.OutFeatures];
                layer.ToDense(dense);
                layer.Initialize(3);
                layer.ZeroGradients();
                return output[0] + layer.Parameters[0] + layer.Gradients.Length + layer.ParameterCount + layer.Tensors.Count + layer.ForwardFlopsPerRow;
            }
        }
        """;

    [Fact]
    public void Snapshot_declarations_compile_cleanly_side_by_side_and_user_code_calls_them()
    {
        string[] sources = SnapshotDeclarations.All.Select(c => (string)c[1]).ToArray();
        GeneratorRun run = GeneratorHarness.Run(sources.Append(Caller).ToArray());
        Assert.Equal(sources.Length, run.Sources.Length);
        Assert.All(run.Diagnostics, d => Assert.Equal("SG0007", d.Id));
        AssertNoCompilerDiagnostics(run, "the snapshot declarations");
    }

    [Fact]
    public void Random_valid_declarations_are_accepted_and_compile()
    {
        var fuzzer = new DeclarationFuzzer(seed: 7001);
        List<FuzzDeclaration> declarations = Enumerable.Range(0, 30).Select(fuzzer.Valid).ToList();
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compilation(declarations.Select(d => (d.Path, d.Source))));

        Assert.Null(run.Result.Exception);
        Assert.True(
            run.Diagnostics.All(d => d.Severity == DiagnosticSeverity.Warning),
            "valid declarations were rejected:\n" + string.Join("\n", run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        Assert.Equal(declarations.Count, run.Sources.Length);
        AssertNoCompilerDiagnostics(run, "random valid declarations (seed 7001)");
    }

    [Fact]
    public void Layer_nested_in_a_generic_partial_class_compiles()
    {
        const string source = """
            using StructGen;

            namespace Demo;

            public partial class Holder<T> where T : class
            {
                [LowRank(r: 2, In = 8, Out = 6)]
                public partial class Inner;
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Equal("Demo.Holder{T}.Inner.g.cs", Assert.Single(run.Sources).HintName);
        AssertNoCompilerDiagnostics(run, "Holder<T>.Inner");
    }

    /// <summary>No error and no warning anywhere in the output compilation (user code included).</summary>
    private static void AssertNoCompilerDiagnostics(GeneratorRun run, string what)
    {
        List<Diagnostic> diagnostics = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(diagnostics.Count == 0, $"{what}: the output does not compile cleanly:\n" + string.Join("\n", diagnostics.Take(20)));
    }
}
