using System;
using System.Collections.Concurrent;
using System.Linq;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Reports;
using StructGen.Benchmarks.Shapes;

namespace StructGen.Benchmarks.Columns;

/// <summary>
/// What one benchmark case computes: its role (Dense, Reference or StructGen), direction, the structure of
/// its class, the shape it computes, FLOPs and the weight bytes it must read, read from the <see cref="StructureBenchmark"/> type, its
/// <c>N</c>/<c>Batch</c> parameters and the method name <c>{Role}{Direction}</c>.
/// </summary>
internal sealed record CaseWork(string Role, string Direction, StructureShape Structure, int Batch)
{
    private static readonly ConcurrentDictionary<Type, StructureKind> s_kinds = new();

    /// <summary>What this case computes: the dense shape for the Dense role, else <see cref="Structure"/>.</summary>
    public StructureShape Shape => Role == "Dense" ? StructureShape.Of(StructureKind.Dense, Structure.In) : Structure;

    /// <summary>Whether this is a backward case (recomputing, or reading the training forward's intermediate).</summary>
    public bool IsBackward => Direction is StructureBenchmark.BackwardCategory or StructureBenchmark.SavedBackwardCategory;

    /// <summary>Whether this is the backward that reads the training forward's intermediate.</summary>
    public bool IsSavedBackward => Direction == StructureBenchmark.SavedBackwardCategory;

    /// <summary>Whether this is a training step (forward that keeps its intermediate, then backward).</summary>
    public bool IsStep => Direction == StructureBenchmark.StepCategory;

    /// <summary>FLOPs of one call: <c>ForwardFlopsPerRow · batch</c>, doubled for backward, tripled for a step.</summary>
    public double Flops => (double)Shape.ForwardFlopsPerRow * Batch * (IsBackward ? 2 : IsStep ? 3 : 1);

    /// <summary>
    /// Bytes a call must at least move from memory when nothing is cached: the weights for forward; for
    /// backward the weights plus the gradient read and written (3×); both for a step (4×).
    /// </summary>
    public double FloorBytes => (double)Shape.WeightBytes * (IsBackward ? 3 : IsStep ? 4 : 1);

    /// <summary>Describes <paramref name="benchmarkCase"/>, or null when it is not a structure benchmark.</summary>
    public static CaseWork? Of(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        Type type = benchmarkCase.Descriptor.Type;
        if (!typeof(StructureBenchmark).IsAssignableFrom(type) || type.IsAbstract)
        {
            return null;
        }
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        string direction = method.EndsWith(StructureBenchmark.SavedBackwardCategory, StringComparison.Ordinal)
            ? StructureBenchmark.SavedBackwardCategory
            : method.EndsWith(StructureBenchmark.BackwardCategory, StringComparison.Ordinal)
                ? StructureBenchmark.BackwardCategory
                : method.EndsWith(StructureBenchmark.StepCategory, StringComparison.Ordinal)
                    ? StructureBenchmark.StepCategory
                    : StructureBenchmark.ForwardCategory;
        string role = method[..^direction.Length];
        int n = Convert.ToInt32(benchmarkCase.Parameters["N"], System.Globalization.CultureInfo.InvariantCulture);
        int batch = Convert.ToInt32(benchmarkCase.Parameters["Batch"], System.Globalization.CultureInfo.InvariantCulture);
        StructureKind kind = s_kinds.GetOrAdd(type, t => ((StructureBenchmark)Activator.CreateInstance(t)!).Kind);
        return new CaseWork(role, direction, StructureShape.Of(kind, n), batch);
    }

    /// <summary>Median time of <paramref name="benchmarkCase"/> in nanoseconds, or null when it has no result.</summary>
    public static double? MedianNanoseconds(Summary summary, BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary[benchmarkCase]?.ResultStatistics?.Median;
    }

    /// <summary>The case of the same class and parameters with role <paramref name="role"/> and the same direction.</summary>
    public static BenchmarkCase? Peer(Summary summary, BenchmarkCase benchmarkCase, string role)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        CaseWork? self = Of(benchmarkCase);
        if (self is null)
        {
            return null;
        }
        string method = role + self.Direction;
        return summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type
            && c.Descriptor.WorkloadMethod.Name == method
            && c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo
            && c.Job == benchmarkCase.Job);
    }
}
