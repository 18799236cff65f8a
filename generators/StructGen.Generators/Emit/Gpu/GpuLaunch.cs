using System;
using System.Collections.Generic;

namespace StructGen.Generators.Emit.Gpu;

/// <summary>
/// One line of a launcher pass: a launch of kernel-set field <see cref="Kernel"/> over the launcher views
/// <see cref="Arguments"/>, with <see cref="Comment"/> saying what it computes; or, with <see cref="Kernel"/>
/// null, a section heading (<c>term 1 of 2: lowrank(r: 8) …</c>).
/// </summary>
/// <param name="Comment">What the launch computes, or the heading's text.</param>
/// <param name="Kernel">The kernel-set field (<c>T1_Hidden</c>); null for a heading.</param>
/// <param name="Groups">The launch's group count, an expression over <c>rows</c>.</param>
/// <param name="Arguments">The launcher views (and finally the count) passed after the configuration.</param>
internal sealed record GpuLaunch(string Comment, string? Kernel, string Groups, IReadOnlyList<string> Arguments)
{
    public static GpuLaunch Heading(string text) => new(text, null, "", Array.Empty<string>());

    /// <summary><c>_kernels.T1_Hidden(Groups(…), x, p, t1_h, rows);</c></summary>
    public string Call => $"_kernels.{Kernel}(Groups({Groups}), {string.Join(", ", Arguments)});";
}
