using System.Collections.Generic;

namespace StructGen.Training;

/// <summary>
/// Updates a fixed set of parameter/gradient span pairs (<see cref="ParameterGroup"/>s) from their
/// gradients, one <see cref="Step"/> at a time. State (momentum, moment estimates) is allocated once when
/// the optimizer is created; a step allocates nothing.
/// </summary>
/// <remarks>
/// The usual loop: <c>optimizer.ZeroGradients()</c>, forward, loss, backward (layers <em>add</em> into their
/// gradients), <c>optimizer.Step()</c>.
/// </remarks>
public interface IOptimizer
{
    /// <summary>The groups this optimizer trains, fixed when it was created.</summary>
    IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Learning rate used by the next <see cref="Step"/>; may be changed between steps (schedules).</summary>
    double LearningRate { get; set; }

    /// <summary>Number of steps taken since creation or the last <see cref="Reset"/>.</summary>
    long StepCount { get; }

    /// <summary>Applies one update to every group from the gradients it holds now.</summary>
    void Step();

    /// <summary>Sets every group's gradients to zero.</summary>
    void ZeroGradients();

    /// <summary>Forgets the optimizer state (momentum, moments, step count); parameters are unchanged.</summary>
    void Reset();
}
