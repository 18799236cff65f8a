using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StructGen.Benchmarks.Columns;

/// <summary>
/// Median of the peer case (same class, parameters and direction, role <c>Dense</c> or <c>Reference</c>)
/// ÷ this case's median: how many times faster than dense OpenBLAS or than the reference form.
/// </summary>
internal sealed class SpeedupColumn : WorkColumn
{
    private readonly string _peerRole;

    private SpeedupColumn(string peerRole, string name, string legend, int priority)
        : base(name, legend, priority)
    {
        _peerRole = peerRole;
    }

    /// <summary>Speed-up over dense OpenBLAS.</summary>
    public static SpeedupColumn VersusDense { get; } = new("Dense", "vs dense", "Dense OpenBLAS median ÷ this median (× faster than dense)", 4);

    /// <summary>Speed-up over the reference form.</summary>
    public static SpeedupColumn VersusReference { get; } = new("Reference", "vs ref", "Reference-form median ÷ this median (× faster than the PyTorch-style form)", 5);

    protected override double? Compute(Summary summary, BenchmarkCase benchmarkCase, CaseWork work, double medianNs)
    {
        if (work.Role == "Dense" || (_peerRole == "Reference" && work.Role == "Reference"))
        {
            return null;
        }
        BenchmarkCase? peer = CaseWork.Peer(summary, benchmarkCase, _peerRole);
        double? peerMedian = peer is null ? null : CaseWork.MedianNanoseconds(summary, peer);
        return peerMedian / medianNs;
    }
}
