using System;
using System.Globalization;
using System.IO;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using StructGen.Benchmarks.Columns;
using StructGen.Benchmarks.Machine;

namespace StructGen.Benchmarks.Suite;

/// <summary>
/// The suite's BenchmarkDotNet configuration. In-process toolchain: the benchmarks run in this process,
/// whose native environment Main has already fixed (no <c>OPENBLAS_CORETYPE</c>, one OpenBLAS thread) and
/// which has measured the machine's peak the columns divide by; no child process can inherit anything.
/// A short job (one launch, few warmups, short iterations) so a <c>--quick</c> pass takes minutes, not
/// hours, on two cores; every figure the suite reports is a median.
/// </summary>
internal static class SuiteConfig
{
    private const string ThreadScalingClass = "ThreadScalingBenchmark";

    /// <summary>
    /// The configuration of one pass. <paramref name="threadScaling"/> selects the pass: false, every
    /// benchmark but <c>ThreadScalingBenchmark</c>, on the suite's clock; true, only that class, on wall
    /// time (process CPU time would add the threads' times up).
    /// </summary>
    public static IConfig Create(bool quick, bool threadScaling)
    {
        Job job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithClock(ProcessCpuClock.InUse && !threadScaling ? ProcessCpuClock.Instance : Chronometer.BestClock)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 2 : 3)
            .WithIterationCount(quick ? 5 : 9)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250))
            .WithId((quick ? "Quick" : "Short") + (threadScaling ? "Wall" : ""));

        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddColumn(StatisticColumn.Median)
            .AddColumn(new ThroughputColumn(), new PeakFractionColumn(), new BandwidthFloorColumn(),
                SpeedupColumn.VersusDense, SpeedupColumn.VersusReference, new ThreadSpeedupColumn())
            .HideColumns("Error", "Ratio", "RatioSD", "Mean")
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)
            .AddExporter(JsonExporter.Brief)
            .WithSummaryStyle(SummaryStyle.Default.WithCultureInfo(CultureInfo.InvariantCulture).WithMaxParameterColumnWidth(20))
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        config.AddFilter(new SimpleFilter(c => (c.Descriptor.Type.Name == ThreadScalingClass) == threadScaling));
        if (quick)
        {
            // --quick: batch 4096 only at n = 1024 (thread scaling: batch 256 only).
            config.AddFilter(new SimpleFilter(c =>
                !(Convert.ToInt32(c.Parameters["N"], CultureInfo.InvariantCulture) == 4096
                  && Convert.ToInt32(c.Parameters["Batch"], CultureInfo.InvariantCulture) == 4096)
                && !(threadScaling && Convert.ToInt32(c.Parameters["Batch"], CultureInfo.InvariantCulture) != 256)));
        }
        return config;
    }
}
