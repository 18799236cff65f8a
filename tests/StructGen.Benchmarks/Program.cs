using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StructGen.Benchmarks.Columns;
using StructGen.Benchmarks.Machine;
using StructGen.Benchmarks.Native;
using StructGen.Benchmarks.Shapes;
using StructGen.Benchmarks.Suite;
using StructGen.Benchmarks.Verification;

namespace StructGen.Benchmarks;

/// <summary>
/// Entry point. <c>--verify</c>: check every baseline (and the generated layers, when compiled in) against
/// the dense reconstruction and exit. <c>--peak</c>: measure and print the machine limits and exit.
/// <c>--quick</c>: leave out n = 4096 × batch 4096. <c>--wall-clock</c>: time with wall time instead of
/// process CPU time. Every other argument goes to BenchmarkDotNet (<c>--filter '*'</c> is the default).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // First, before anything can load OpenBLAS: clear OPENBLAS_CORETYPE from the native environment.
        OpenBlas.Load();
        Console.WriteLine($"OpenBLAS: {OpenBlas.LibraryName}, core {OpenBlas.CoreName}, {OpenBlas.Threads} thread(s); config: {OpenBlas.Config}");
        Console.WriteLine(OpenBlas.ClearedCoreType is null
            ? "OPENBLAS_CORETYPE was not set; OpenBLAS detected the CPU itself."
            : $"OPENBLAS_CORETYPE was '{OpenBlas.ClearedCoreType}': cleared before loading, so OpenBLAS detected the CPU itself.");

        var rest = new List<string>(args);
        bool verify = rest.Remove("--verify");
        bool peakOnly = rest.Remove("--peak");
        bool quick = rest.Remove("--quick");
        ProcessCpuClock.InUse = !rest.Remove("--wall-clock");

        if (verify)
        {
            return ReferenceVerifier.Run(AllShapes());
        }

        MachinePeak peak = MachinePeak.Measure();
        Console.WriteLine($"Machine limits (one thread): {peak}");
        if (peakOnly)
        {
            return 0;
        }

        if (!rest.Any(a => a is "--filter" or "-f" or "--list" or "--help" or "-h" or "--info"))
        {
            rest.Add("--filter");
            rest.Add("*");
        }
        var switcher = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly);
        List<Summary> summaries = switcher.Run([.. rest], SuiteConfig.Create(quick, threadScaling: false)).ToList();
#if WITH_GENERATED
        // Second pass, wall time: the generated layers at 1 and 2 threads.
        summaries.AddRange(switcher.Run([.. rest], SuiteConfig.Create(quick, threadScaling: true)));
#endif
        if (summaries.Any(s => s.BenchmarksCases.Any(c => CaseWork.Of(c) is not null)))
        {
            Console.WriteLine();
            Console.WriteLine(ResultsTable.Write(summaries, ResultsTable.Header(peak)));
        }
        return 0;
    }

    private static List<StructureShape> AllShapes()
    {
        var shapes = new List<StructureShape>();
        foreach (int n in new[] { 1024, 4096 })
        {
            foreach (StructureKind kind in Enum.GetValues<StructureKind>())
            {
                if (kind == StructureKind.LowRankWide && n == 1024)
                {
                    continue;
                }
                shapes.Add(StructureShape.Of(kind, n));
            }
        }
        return shapes;
    }
}
