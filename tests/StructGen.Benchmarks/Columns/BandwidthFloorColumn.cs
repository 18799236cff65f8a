using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StructGen.Benchmarks.Machine;

namespace StructGen.Benchmarks.Columns;

/// <summary>
/// Batch 1 only: time ÷ bandwidth floor, the floor being weight bytes ÷ measured read bandwidth (backward:
/// 3× the weight bytes, for the weights and the gradient read and written). Below 1 means the weights were
/// served from cache.
/// </summary>
internal sealed class BandwidthFloorColumn : WorkColumn
{
    public BandwidthFloorColumn()
        : base("× BW floor", "Batch 1: median ÷ (weight bytes ÷ measured read bandwidth); backward counts 3× the weight bytes", 3)
    {
    }

    protected override double? Compute(Summary summary, BenchmarkCase benchmarkCase, CaseWork work, double medianNs)
        => work.Batch == 1 && MachinePeak.Current is { } peak
            ? medianNs / (work.FloorBytes / peak.ReadBandwidthGBps)
            : null;
}
