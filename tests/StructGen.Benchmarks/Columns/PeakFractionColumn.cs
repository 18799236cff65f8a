using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StructGen.Benchmarks.Machine;

namespace StructGen.Benchmarks.Columns;

/// <summary>GFLOP/s as a percentage of the FMA peak measured at the start of the run.</summary>
internal sealed class PeakFractionColumn : WorkColumn
{
    public PeakFractionColumn()
        : base("% peak", "GFLOP/s as % of the one-thread FP32 FMA peak measured in this run", 2)
    {
    }

    protected override double? Compute(Summary summary, BenchmarkCase benchmarkCase, CaseWork work, double medianNs)
        => MachinePeak.Current is { } peak ? 100 * work.Flops / medianNs / peak.GflopsPerSecond : null;
}
