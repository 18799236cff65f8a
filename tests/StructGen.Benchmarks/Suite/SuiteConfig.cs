using System;
using System.Globalization;
using System.IO;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using StructGen.Benchmarks.Columns;
using StructGen.Benchmarks.Machine;

namespace StructGen.Benchmarks.Suite;

/// <summary>
/// The suite's BenchmarkDotNet configuration. In-process toolchain: the benchmarks run in this process,
/// whose native environment Main has already fixed (no <c>OPENBLAS_CORETYPE</c>, one OpenBLAS thread) and
/// which has measured the machine's peak the columns divide by; no child process can inherit anything.
/// A short job (one launch, few warmups, short iterations) so a <c>--quick</c> pass fits in about ten
/// minutes on a shared two-core machine; results are medians.
/// </summary>
internal static class SuiteConfig
{
    public static IConfig Create(bool quick)
    {
        Job job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithClock(ProcessCpuClock.InUse ? ProcessCpuClock.Instance : Chronometer.BestClock)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 2 : 3)
            .WithIterationCount(quick ? 5 : 9)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250))
            .WithId(quick ? "Quick" : "Short");

        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddColumn(StatisticColumn.Median)
            .AddColumn(new ThroughputColumn(), new PeakFractionColumn(), new BandwidthFloorColumn(),
                SpeedupColumn.VersusDense, SpeedupColumn.VersusReference)
            .HideColumns("Error", "Ratio", "RatioSD", "Mean")
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)
            .AddExporter(JsonExporter.Brief)
            .WithSummaryStyle(SummaryStyle.Default.WithCultureInfo(CultureInfo.InvariantCulture).WithMaxParameterColumnWidth(20))
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
            .WithOption(ConfigOptions.DisableLogFile, false);
        if (quick)
        {
            // --quick: batch 4096 only at n = 1024.
            config.AddFilter(new SimpleFilter(c =>
                !(Convert.ToInt32(c.Parameters["N"], CultureInfo.InvariantCulture) == 4096
                  && Convert.ToInt32(c.Parameters["Batch"], CultureInfo.InvariantCulture) == 4096)));
        }
        return config;
    }
}
