using System.Collections.Generic;
using System.Linq;
using StructGen.Generators.Helpers;

namespace StructGen.Generators.Emit.Cpu;

/// <summary>
/// How a composite that saves (a sum, or a chain) lays out its saved rows: every operand that keeps an intermediate, and
/// every inner activation of a chain, gets a range of columns of the composite's <c>[rows, SavedPerRow]</c> rows, in order.
/// The composite copies an operand's rows there after the operand's forward and back before its backward, so an operand
/// computes in its own scratch as it always does and only skips its recomputation (<see cref="EmitScope.KeepsInScratch"/>).
/// Rows are whole and row-major, so the forward's tiles, the backward's (of another height) and the threads' chunks all
/// read what they need from any row.
/// </summary>
internal sealed class SavedColumns
{
    private readonly EmitScope _scope;
    private readonly List<(int Offset, int Width, string What)> _pieces = new();

    public SavedColumns(EmitScope scope) => _scope = scope;

    /// <summary>Floats per saved row: the composite's <c>SavedPerRow</c>, and the row stride of its saved rows.</summary>
    public int Width { get; private set; }

    /// <summary>Reserves <paramref name="width"/> columns for <paramref name="what"/> and returns the first.</summary>
    public int Reserve(int width, string what)
    {
        int offset = Width;
        _pieces.Add((offset, width, what));
        Width += width;
        return offset;
    }

    /// <summary>What the saved rows hold, column range by column range, for the generated documentation.</summary>
    public string Description => string.Join("; ", _pieces.Select(p => $"{p.What} [rows, {p.Width}] at column {p.Offset}"));

    /// <summary>After the forward that computed them: <c>if (useSaved)</c> copy the rows of <paramref name="kept"/> to columns <paramref name="offset"/>….</summary>
    public void WriteCopyOut(IndentedTextWriter w, KeptRows kept, int offset)
    {
        w.Line($"// keep {kept.What} for the backward: columns {offset} … {offset + kept.Width - 1} of saved");
        w.Line($"if ({_scope.UseSaved}) RowOps.CopyRows(ref {kept.Home}, {kept.Stride}, ref {SavedAt(offset)}, {Width}, {kept.Width}, rows);");
    }

    /// <summary>
    /// Before the backward that reads them: copy columns <paramref name="offset"/>… back to <paramref name="kept"/>'s place,
    /// under <c>if (useSaved)</c> unless <paramref name="guarded"/> is false (the caller has tested it).
    /// </summary>
    public void WriteCopyIn(IndentedTextWriter w, KeptRows kept, int offset, bool guarded = true)
    {
        string copy = $"RowOps.CopyRows(ref {SavedAt(offset)}, {Width}, ref {kept.Home}, {kept.Stride}, {kept.Width}, rows);";
        if (guarded)
        {
            w.Line($"// {kept.What}: the forward's, from columns {offset} … {offset + kept.Width - 1} of saved (else the backward below recomputes it)");
            w.Line($"if ({_scope.UseSaved}) {copy}");
        }
        else
        {
            w.Line($"// {kept.What}: columns {offset} … {offset + kept.Width - 1} of saved");
            w.Line(copy);
        }
    }

    private string SavedAt(int offset) => offset == 0 ? _scope.Saved! : $"Unsafe.Add(ref {_scope.Saved}, {offset})";
}
