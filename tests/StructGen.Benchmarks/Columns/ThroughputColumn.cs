using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StructGen.Benchmarks.Columns;

/// <summary>GFLOP/s from the median: <c>ForwardFlopsPerRow · batch</c> (×2 for backward) ÷ time.</summary>
internal sealed class ThroughputColumn : WorkColumn
{
    public ThroughputColumn()
        : base("GFLOP/s", "Useful FLOPs of the structure (ForwardFlopsPerRow·batch, backward 2×) per second, from the median", 1)
    {
    }

    protected override double? Compute(Summary summary, BenchmarkCase benchmarkCase, CaseWork work, double medianNs)
        => work.Flops / medianNs;
}
