using System.Collections.Generic;

namespace StructGen.Language.Diagnostics;

/// <summary>
/// Every diagnostic StructGen reports, one place. Ids are never renumbered or reused; a retired id
/// stays reserved. docs/diagnostics.md shows an example of each.
/// </summary>
public static class DiagnosticCatalog
{
    private const string Syntax = "StructGen.Syntax";
    private const string Shape = "StructGen.Shape";
    private const string Declaration = "StructGen.Declaration";
    private const string Usage = "StructGen.Usage";
    private const string Generator = "StructGen.Generator";

    /// <summary>SG0001: the DSL text does not parse. {0} expected, {1} found.</summary>
    public static readonly DiagnosticDescriptorInfo SyntaxError = new(
        "SG0001", "Syntax error", "Syntax error: expected {0} but found {1}", DiagnosticSeverityLevel.Error, Syntax);

    /// <summary>SG0002: unknown structure name. {0} name, {1} suggestion text.</summary>
    public static readonly DiagnosticDescriptorInfo UnknownStructure = new(
        "SG0002", "Unknown structure", "Unknown structure '{0}'{1}", DiagnosticSeverityLevel.Error, Syntax);

    /// <summary>SG0003: an argument the structure does not take. {0} structure, {1} argument, {2} suggestion text.</summary>
    public static readonly DiagnosticDescriptorInfo UnknownArgument = new(
        "SG0003", "Unknown argument", "'{0}' has no argument '{1}'{2}", DiagnosticSeverityLevel.Error, Syntax);

    /// <summary>SG0004: a required size or argument is missing. {0} what, {1} example.</summary>
    public static readonly DiagnosticDescriptorInfo MissingSize = new(
        "SG0004", "Missing size", "Missing {0}: declare it, e.g. {1}", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0005: a size or count that must be positive is not. {0} name, {1} value.</summary>
    public static readonly DiagnosticDescriptorInfo NonPositive = new(
        "SG0005", "Size must be positive", "'{0}' must be a positive integer but is {1}", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0006: blocks do not divide the features they split (where padding is not allowed). {0} structure, {1} blocks, {2} side, {3} features, {4} valid choices.</summary>
    public static readonly DiagnosticDescriptorInfo BlocksDoNotDivide = new(
        "SG0006", "Blocks do not divide the features", "{0}: blocks = {1} does not divide {2} = {3}; use a divisor such as {4}", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0007: blocks do not divide the features, so they are zero-padded as fly does. {0} structure, {1} blocks, {2} side, {3} features, {4} padded, {5} cost, {6} nearest divisors.</summary>
    public static readonly DiagnosticDescriptorInfo BlocksPadded = new(
        "SG0007", "Features padded to a multiple of blocks", "{0}: blocks = {1} does not divide {2} = {3}; features are zero-padded to {4} ({5} more compute); divisors nearby: {6}", DiagnosticSeverityLevel.Warning, Shape);

    /// <summary>SG0008: rank out of range. {0} rank, {1} min(In, Out).</summary>
    public static readonly DiagnosticDescriptorInfo RankOutOfRange = new(
        "SG0008", "Rank out of range", "Rank r = {0} must be between 1 and min(In, Out) = {1}; use r = {1} or less", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0009: Kronecker factors whose products are not the layer's sizes. {0} what is wrong, {1} suggestion.</summary>
    public static readonly DiagnosticDescriptorInfo KroneckerFactors = new(
        "SG0009", "Kronecker factor shapes do not match", "Kronecker factors: {0}; {1}", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0010: operands of a sum with different shapes. {0} left shape, {1} right shape.</summary>
    public static readonly DiagnosticDescriptorInfo SumShapeMismatch = new(
        "SG0010", "Sum of operands with different shapes", "Operands of '+' must have the same shape: {0} vs {1}", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0011: widths of a chain or model do not agree. {0} where, {1} width produced, {2} width expected.</summary>
    public static readonly DiagnosticDescriptorInfo WidthMismatch = new(
        "SG0011", "Widths do not agree", "Widths do not agree at {0}: the previous step gives {1} features but this one expects {2}", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0012: a layer or model name declared twice. {0} name.</summary>
    public static readonly DiagnosticDescriptorInfo DuplicateName = new(
        "SG0012", "Duplicate name", "'{0}' is declared more than once; rename one of them", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0013: the declared type is not partial. {0} type.</summary>
    public static readonly DiagnosticDescriptorInfo TypeNotPartial = new(
        "SG0013", "Type must be partial", "'{0}' must be declared 'partial' so StructGen can complete it", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0014: a containing type is not partial. {0} type, {1} containing type.</summary>
    public static readonly DiagnosticDescriptorInfo ContainingTypeNotPartial = new(
        "SG0014", "Containing type must be partial", "'{0}' is nested in '{1}', which must also be declared 'partial'", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0015: generic type. {0} type.</summary>
    public static readonly DiagnosticDescriptorInfo GenericType = new(
        "SG0015", "Type must not be generic", "'{0}' is generic; a structured layer has fixed shapes, declare a non-generic class", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0016: no saving over dense. {0} structure, {1} its parameters, {2} dense parameters.</summary>
    public static readonly DiagnosticDescriptorInfo NoSaving = new(
        "SG0016", "Structure saves nothing", "{0} has {1} weights, at least as many as dense ({2}); use fewer blocks or a smaller rank", DiagnosticSeverityLevel.Warning, Shape);

    /// <summary>SG0017: sizes too large for 32-bit indexing. {0} what, {1} value.</summary>
    public static readonly DiagnosticDescriptorInfo SizeOverflow = new(
        "SG0017", "Size too large", "{0} = {1} exceeds what a layer can index (2^31 - 1 elements); use smaller sizes", DiagnosticSeverityLevel.Error, Shape);

    /// <summary>SG0018: the declared type is not a class (record, struct, static). {0} type, {1} kind with its article ("a record").</summary>
    public static readonly DiagnosticDescriptorInfo NotAClass = new(
        "SG0018", "Type must be a non-static class", "'{0}' is {1}; declare it as a (non-static, non-record) partial class", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0019: an argument has the wrong type. {0} argument, {1} expected, {2} found.</summary>
    public static readonly DiagnosticDescriptorInfo WrongArgumentType = new(
        "SG0019", "Wrong argument type", "Argument '{0}' must be {1} but is {2}", DiagnosticSeverityLevel.Error, Syntax);

    /// <summary>SG0020: several structure attributes on one type. {0} type.</summary>
    public static readonly DiagnosticDescriptorInfo MultipleStructures = new(
        "SG0020", "More than one structure", "'{0}' has more than one structure attribute; keep one (compose with [StructuredLinear(\"a + b\")])", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0021: the generator failed unexpectedly. {0} what.</summary>
    public static readonly DiagnosticDescriptorInfo InternalError = new(
        "SG0021", "StructGen internal error", "StructGen could not generate this layer: {0}. Please report it with the declaration", DiagnosticSeverityLevel.Error, Generator);

    /// <summary>SG0022: Forward/Backward call with buffers of known wrong length. {0} argument, {1} expected, {2} actual.</summary>
    public static readonly DiagnosticDescriptorInfo CallSiteLength = new(
        "SG0022", "Buffer length does not match the layer", "'{0}' has {2} elements but batch·features = {1}; the call will throw", DiagnosticSeverityLevel.Warning, Usage);

    /// <summary>SG0023: a model step (or a name in a DSL expression) that is neither a layer of the file nor an activation. {0} name, {1} suggestion text.</summary>
    public static readonly DiagnosticDescriptorInfo UnknownLayer = new(
        "SG0023", "Unknown layer", "'{0}' is neither a layer declared in this file nor an activation{1}", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0024: a DSL layer, model or namespace name that is reserved. {0} name, {1} why.</summary>
    public static readonly DiagnosticDescriptorInfo ReservedName = new(
        "SG0024", "Reserved name", "'{0}' is reserved ({1}); choose another name", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0025: a DSL layer that contains itself. {0} layer, {1} the cycle.</summary>
    public static readonly DiagnosticDescriptorInfo CyclicLayer = new(
        "SG0025", "Layer contains itself", "Layer '{0}' contains itself ({1}); a layer cannot be part of its own definition", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>SG0026: a DSL argument written twice. {0} argument.</summary>
    public static readonly DiagnosticDescriptorInfo DuplicateArgument = new(
        "SG0026", "Argument given twice", "Argument '{0}' is given more than once; keep one", DiagnosticSeverityLevel.Error, Syntax);

    /// <summary>SG0027: a DSL declaration that uses a layer which has errors. {0} declaration, {1} layer used.</summary>
    public static readonly DiagnosticDescriptorInfo UsesInvalidLayer = new(
        "SG0027", "Uses a layer that has errors", "'{0}' uses layer '{1}', which has errors; fix them at its declaration", DiagnosticSeverityLevel.Error, Declaration);

    /// <summary>Every entry, in id order.</summary>
    public static IReadOnlyList<DiagnosticDescriptorInfo> All { get; } = new[]
    {
        SyntaxError, UnknownStructure, UnknownArgument, MissingSize, NonPositive, BlocksDoNotDivide, BlocksPadded,
        RankOutOfRange, KroneckerFactors, SumShapeMismatch, WidthMismatch, DuplicateName, TypeNotPartial,
        ContainingTypeNotPartial, GenericType, NoSaving, SizeOverflow, NotAClass, WrongArgumentType,
        MultipleStructures, InternalError, CallSiteLength, UnknownLayer, ReservedName, CyclicLayer, DuplicateArgument,
        UsesInvalidLayer,
    };
}
