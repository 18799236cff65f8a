using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StructGen.Benchmarks.Columns;

/// <summary>
/// For cases with a <c>Threads</c> parameter: median of the same case at <c>Threads = 1</c> ÷ this median.
/// </summary>
internal sealed class ThreadSpeedupColumn : IColumn
{
    public string Id => "StructGen:vs 1 thread";

    public string ColumnName => "vs 1 thread";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 6;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Median at 1 thread ÷ this median (wall time)";

    public bool IsAvailable(Summary summary)
        => summary?.BenchmarksCases.Any(c => c.Parameters.Items.Any(p => p.Name == "Threads")) ?? false;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        if (!benchmarkCase.Parameters.Items.Any(p => p.Name == "Threads"))
        {
            return "-";
        }
        string others = OtherParameters(benchmarkCase);
        BenchmarkCase? single = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type
            && c.Descriptor.WorkloadMethod.Name == benchmarkCase.Descriptor.WorkloadMethod.Name
            && Convert.ToInt32(c.Parameters["Threads"], CultureInfo.InvariantCulture) == 1
            && OtherParameters(c) == others);
        double? mine = summary[benchmarkCase]?.ResultStatistics?.Median;
        double? one = single is null ? null : summary[single]?.ResultStatistics?.Median;
        return mine is > 0 && one is > 0 ? (one.Value / mine.Value).ToString("F2", CultureInfo.InvariantCulture) : "-";
    }

    public override string ToString() => ColumnName;

    private static string OtherParameters(BenchmarkCase c)
        => string.Join("&", c.Parameters.Items.Where(p => p.Name != "Threads").Select(p => $"{p.Name}={p.Value}"));
}
