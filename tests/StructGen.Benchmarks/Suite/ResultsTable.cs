using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StructGen.Benchmarks.Columns;
using StructGen.Benchmarks.Machine;
using StructGen.Benchmarks.Native;

namespace StructGen.Benchmarks.Suite;

/// <summary>
/// One Markdown table over every class of the run, a row per structure × n × batch × direction (forward, backward; StructGen
/// only: the backward that reads the training forward's intermediate, the training step) with the dense, reference and
/// StructGen medians side by side (a saved backward's dense is the dense backward, which needs no intermediate), the GFLOP/s and % of peak of the structured forms,
/// and the speed-ups: the table the README's results section is made of. Printed and written beside the
/// BenchmarkDotNet reports as <c>results.md</c>.
/// </summary>
internal static class ResultsTable
{
    public static string Write(IEnumerable<Summary> summaries, string header)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var text = new StringBuilder();
        text.AppendLine(header);
        text.AppendLine();
        text.AppendLine("| structure | n | batch | dir | dense | reference | StructGen | dense GFLOP/s (% peak) | ref GFLOP/s (% peak) | SG GFLOP/s (% peak) | ref vs dense | SG vs dense | SG vs ref | b=1 × BW floor (dense / ref / SG) |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        string? artifacts = null;
        foreach (Summary summary in summaries)
        {
            artifacts ??= summary.ResultsDirectoryPath;
            var rows = summary.BenchmarksCases
                .Select(c => (Case: c, Work: CaseWork.Of(c)))
                .Where(r => r.Work is not null)
                .GroupBy(r => (r.Work!.Structure.Kind, r.Work.Structure.In, r.Work.Batch, r.Work.Direction))
                .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.In).ThenBy(g => g.Key.Batch).ThenBy(g => DirectionOrder(g.Key.Direction));
            var denseBackward = rows.Where(g => g.Key.Direction == StructureBenchmark.BackwardCategory).ToDictionary(
                g => (g.Key.Kind, g.Key.In, g.Key.Batch),
                g => g.Where(r => r.Work!.Role == "Dense").Select(r => CaseWork.MedianNanoseconds(summary, r.Case)).FirstOrDefault());
            foreach (var group in rows)
            {
                double? Median(string role) => group.Where(r => r.Work!.Role == role)
                    .Select(r => CaseWork.MedianNanoseconds(summary, r.Case)).FirstOrDefault();
                CaseWork work = group.First().Work! with { Role = "Reference" };
                CaseWork denseWork = work with { Role = "Dense" };
                double? dense = work.IsSavedBackward ? denseBackward.GetValueOrDefault((group.Key.Kind, group.Key.In, group.Key.Batch)) : Median("Dense");
                double? reference = Median("Reference"), structGen = Median("StructGen");
                text.Append(CultureInfo.InvariantCulture,
                    $"| {work.Shape} | {work.Shape.In} | {work.Batch} | {DirectionLabel(work)} | {Time(dense)} | {Time(reference)} | {Time(structGen)} | ");
                text.Append(CultureInfo.InvariantCulture,
                    $"{Rate(denseWork, dense)} | {Rate(work, reference)} | {Rate(work, structGen)} | {Ratio(dense, reference)} | {Ratio(dense, structGen)} | {Ratio(reference, structGen)} | ");
                text.AppendLine(work.Batch == 1 ? $"{Floor(denseWork, dense)} / {Floor(work, reference)} / {Floor(work, structGen)} |" : "- |");
            }
        }
        string table = text.ToString();
        if (artifacts is not null)
        {
            File.WriteAllText(Path.Combine(artifacts, "results.md"), table);
        }
        return table;
    }

    /// <summary>The header naming the machine, OpenBLAS kernel set and measured limits.</summary>
    public static string Header(MachinePeak peak)
    {
        ArgumentNullException.ThrowIfNull(peak);
        return string.Create(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} cores visible, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; .NET {Environment.Version}; OpenBLAS core {OpenBlas.CoreName} ({OpenBlas.Config}), {OpenBlas.Threads} thread. {peak}. JIT: {JitSettings()}.");
    }

    /// <summary>The runtime's tiering settings this process runs with (the csproj fixes them; see there why).</summary>
    private static string JitSettings()
    {
        object? pgo = AppContext.GetData("System.Runtime.TieredPGO");
        object? delay = AppContext.GetData("System.Runtime.TieredCompilation.CallCountingDelayMs");
        return string.Create(CultureInfo.InvariantCulture, $"dynamic PGO {(pgo is false or "false" ? "off" : "on")}, call-counting delay {delay ?? "default (100)"} ms");
    }

    /// <summary>Rows of one shape and batch in the order forward, backward, saved backward, training step.</summary>
    private static int DirectionOrder(string direction) => direction switch
    {
        StructureBenchmark.ForwardCategory => 0,
        StructureBenchmark.BackwardCategory => 1,
        StructureBenchmark.SavedBackwardCategory => 2,
        _ => 3,
    };

    /// <summary>The table's <c>dir</c> column: fwd, bwd (recomputing), bwd saved (reading the training forward's intermediate), step.</summary>
    private static string DirectionLabel(CaseWork work)
        => work.IsSavedBackward ? "bwd saved" : work.IsBackward ? "bwd" : work.IsStep ? "step" : "fwd";

    private static string Time(double? ns) => ns switch
    {
        null => "-",
        < 1e3 => string.Create(CultureInfo.InvariantCulture, $"{ns:F0} ns"),
        < 1e6 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e3:F1} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e6:F2} ms"),
    };

    private static string Rate(CaseWork work, double? ns)
    {
        if (ns is not > 0)
        {
            return "-";
        }
        double gflops = work.Flops / ns.Value;
        double? percent = MachinePeak.Current is { } peak ? 100 * gflops / peak.GflopsPerSecond : null;
        return string.Create(CultureInfo.InvariantCulture, $"{gflops:F1} ({percent:F0} %)");
    }

    private static string Ratio(double? numerator, double? denominator)
        => numerator is > 0 && denominator is > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{numerator / denominator:F2}×")
            : "-";

    private static string Floor(CaseWork work, double? ns)
        => ns is > 0 && MachinePeak.Current is { } peak
            ? string.Create(CultureInfo.InvariantCulture, $"{ns / (work.FloorBytes / peak.ReadBandwidthGBps):F2}")
            : "-";
}
