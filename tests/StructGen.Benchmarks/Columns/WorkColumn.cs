using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StructGen.Benchmarks.Columns;

/// <summary>
/// Base of the suite's columns: each turns a case's median time and its <see cref="CaseWork"/> into one
/// number (or "-" where it does not apply).
/// </summary>
internal abstract class WorkColumn : IColumn
{
    protected WorkColumn(string name, string legend, int priority)
    {
        ColumnName = name;
        Legend = legend;
        PriorityInCategory = priority;
    }

    public string Id => "StructGen:" + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory { get; }

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    public bool IsAvailable(Summary summary)
        => summary?.BenchmarksCases.Any(c => CaseWork.Of(c) is not null) ?? false;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        CaseWork? work = CaseWork.Of(benchmarkCase);
        double? median = CaseWork.MedianNanoseconds(summary, benchmarkCase);
        if (work is null || median is not > 0)
        {
            return "-";
        }
        double? value = Compute(summary, benchmarkCase, work, median.Value);
        return value is { } v && double.IsFinite(v) ? Format(v) : "-";
    }

    /// <summary>The column's number for a case whose median is <paramref name="medianNs"/>; null for "-".</summary>
    protected abstract double? Compute(Summary summary, BenchmarkCase benchmarkCase, CaseWork work, double medianNs);

    /// <summary>How the number is written.</summary>
    protected virtual string Format(double value)
        => value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => ColumnName;
}
