namespace StructGen.Language.Syntax;

/// <summary><c>Out x In</c> (also <c>Out×In</c>): the shape of a Kronecker factor, rows first as in <c>w1 [Out1, In1]</c>.</summary>
public sealed class DslShapeValue : DslValue
{
    public DslShapeValue(DslText text, DslNumber rows, DslToken times, DslNumber columns)
        : base(text, rows.Start, columns.IsMissing ? times.End : columns.End)
    {
        Rows = rows;
        Times = times;
        Columns = columns;
    }

    /// <summary>Output features of the factor.</summary>
    public DslNumber Rows { get; }

    public DslToken Times { get; }

    /// <summary>Input features of the factor.</summary>
    public DslNumber Columns { get; }
}
