using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StructGen.Generators.Tests;

/// <summary>
/// The generator's contract over seeded random declarations: it never throws into the compiler, every
/// declaration is either generated or rejected with an SG error on it (never silently dropped), and what
/// it generates compiles.
/// </summary>
/// <remarks>
/// Binding a generated layer's method bodies costs about a tenth of a second (its SIMD kernels are
/// overload-heavy), so the run binds every generated file's declarations (constants, fields, signatures,
/// nesting) but the method bodies of only a sample that covers each structure in each type shape.
/// <c>STRUCTGEN_FUZZ_COMPILE_ALL=1</c> binds every body.
/// </remarks>
public partial class RobustnessTests(ITestOutputHelper output)
{
    private const int Seed = 20250611;
    private const int DeclarationCount = 10_000;
    private const int BatchSize = 250;

    /// <summary>Generated layers whose method bodies are bound too, the first of each structure and shape.</summary>
    private const int BodySample = 30;

    private static bool CompileAll => Environment.GetEnvironmentVariable("STRUCTGEN_FUZZ_COMPILE_ALL") is "1" or "true";

    [GeneratedRegex(@"sealed partial class (Fuzz\d+) : global::StructGen\.IStructuredLinear")]
    private static partial Regex GeneratedLayer();

    [Fact]
    public void Every_random_declaration_is_generated_or_diagnosed_and_generated_code_compiles()
    {
        var fuzzer = new DeclarationFuzzer(Seed);
        var problems = new List<string>();
        var sampledKinds = new HashSet<string>(StringComparer.Ordinal);
        int accepted = 0, rejected = 0, bodiesBound = 0;
        var generating = new Stopwatch();
        var declarations = new Stopwatch();
        var bodies = new Stopwatch();
        for (int start = 0; start < DeclarationCount; start += BatchSize)
        {
            List<FuzzDeclaration> batch = Enumerable.Range(start, BatchSize).Select(fuzzer.Any).ToList();
            generating.Start();
            GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compilation(batch.Select(d => (d.Path, d.Source))));
            generating.Stop();

            Assert.Null(run.Result.Exception);
            Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id == "CS8785");
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "SG0021");

            Dictionary<string, GeneratedSourceResult> generated = run.Sources.ToDictionary(s => GeneratedLayer().Match(s.SourceText.ToString()).Groups[1].Value);
            ILookup<string, Diagnostic> diagnosticsByFile = run.Diagnostics.ToLookup(d => d.Location.GetLineSpan().Path);
            foreach (FuzzDeclaration declaration in batch)
            {
                var errors = diagnosticsByFile[declaration.Path].Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (!generated.TryGetValue(declaration.TypeName, out GeneratedSourceResult source))
                {
                    rejected++;
                    if (errors.Count == 0)
                    {
                        problems.Add($"{declaration.Path}: nothing generated and no SG error\n{declaration.Source}");
                    }
                    continue;
                }

                accepted++;
                if (errors.Count > 0)
                {
                    problems.Add($"{declaration.Path}: generated despite {string.Join(", ", errors)}\n{declaration.Source}");
                }
                SemanticModel model = run.Output.GetSemanticModel(source.SyntaxTree);
                bool bindBodies = CompileAll || (bodiesBound < BodySample && sampledKinds.Add(declaration.Structure + " / " + declaration.Shape));
                bodiesBound += bindBodies ? 1 : 0;
                Stopwatch clock = bindBodies ? bodies : declarations;
                clock.Start();
                var compileErrors = (bindBodies ? model.GetDiagnostics() : model.GetDeclarationDiagnostics())
                    .Where(d => d.Severity == DiagnosticSeverity.Error)
                    .ToList();
                clock.Stop();
                if (compileErrors.Count > 0)
                {
                    problems.Add($"{source.HintName} does not compile: {string.Join("; ", compileErrors.Take(3))}\n{declaration.Source}");
                }
            }
        }

        output.WriteLine($"{accepted} generated, {rejected} rejected; generation {generating.ElapsedMilliseconds} ms, "
            + $"declarations bound in {declarations.ElapsedMilliseconds} ms, {bodiesBound} with method bodies in {bodies.ElapsedMilliseconds} ms");
        Assert.True(problems.Count == 0, $"{problems.Count} problems (seed {Seed}):\n" + string.Join("\n\n", problems.Take(10)));
        // The mix must exercise both paths substantially, or the test proves little.
        Assert.InRange(accepted, DeclarationCount / 5, DeclarationCount * 4 / 5);
        Assert.InRange(rejected, DeclarationCount / 5, DeclarationCount * 4 / 5);
        Assert.InRange(bodiesBound, Math.Min(BodySample, 20), CompileAll ? accepted : BodySample);
    }
}
