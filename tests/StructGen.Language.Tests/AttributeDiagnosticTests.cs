using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using StructGen.Language.Binding;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;

namespace StructGen.Language.Tests;

/// <summary>
/// The attribute path: <c>[Monarch(blocks: 5, In = 768, Out = 768)]</c> read into a <see cref="StructureDeclaration"/>
/// (as the generator does, one span per argument) and bound by <see cref="StructureBinder"/>, and
/// <c>[StructuredLinear("…")]</c> bound by <see cref="DslBinder.BindStructuredLinear"/>.
/// </summary>
public class AttributeDiagnosticTests
{
    /// <summary>Builds the attribute's text and a declaration whose argument spans point into it.</summary>
    private static (StructureDeclaration Declaration, string Text) Attribute(string structure, params (string Name, object Value)[] arguments)
    {
        var text = new StringBuilder("[" + structure + "(");
        var values = new List<ArgumentValue>();
        for (int i = 0; i < arguments.Length; i++)
        {
            (string name, object value) = arguments[i];
            if (i > 0)
            {
                text.Append(", ");
            }
            bool property = char.IsUpper(name[0]);
            string literal = value switch
            {
                string s => "\"" + s + "\"",
                bool b => b ? "true" : "false",
                _ => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
            };
            string written = name == "expression" ? literal : name + (property ? " = " : ": ") + literal;
            var span = new SourceSpan(text.Length, written.Length, 0, text.Length, 0, text.Length + written.Length);
            values.Add(value switch
            {
                string s => ArgumentValue.FromString(name, s, span),
                bool b => ArgumentValue.FromBoolean(name, b, span),
                double d => new ArgumentValue(name, ArgumentKind.Other, 0, d.ToString(CultureInfo.InvariantCulture), span),
                _ => ArgumentValue.FromInteger(name, System.Convert.ToInt64(value, CultureInfo.InvariantCulture), span),
            });
            text.Append(written);
        }
        text.Append(")]");
        string all = text.ToString();
        return (new StructureDeclaration(structure, values.ToEquatableArray(), new SourceSpan(0, all.Length, 0, 0, 0, all.Length)), all);
    }

    public static IEnumerable<object[]> Cases => new[]
    {
        Case("SG0002", "[Monarh", new (string, object)[] { ("blocks", 4), ("In", 8), ("Out", 8) }, whole: true),
        Case("SG0003", "block: 4", new (string, object)[] { ("block", 4), ("In", 8), ("Out", 8) }, structure: "Monarch"),
        Case("SG0004", "", new (string, object)[] { ("blocks", 4), ("Out", 8) }, structure: "Monarch", whole: true),
        Case("SG0004", "", new (string, object)[] { ("In", 8), ("Out", 8) }, structure: "LowRank", whole: true),
        Case("SG0005", "In = 0", new (string, object)[] { ("In", 0), ("Out", 8) }, structure: "LowRank"),
        Case("SG0006", "blocks: 5", new (string, object)[] { ("blocks", 5), ("In", 768), ("Out", 770) }, structure: "BLAST"),
        Case("SG0007", "blocks: 5", new (string, object)[] { ("blocks", 5), ("In", 770), ("Out", 768) }, structure: "Monarch"),
        Case("SG0008", "r: 1000", new (string, object)[] { ("r", 1000), ("In", 768), ("Out", 768) }, structure: "LowRank"),
        Case("SG0009", "In1 = 5", new (string, object)[] { ("In", 768), ("Out", 768), ("In1", 5) }, structure: "Kronecker"),
        Case("SG0016", "", new (string, object)[] { ("blocks", 1), ("In", 64), ("Out", 64) }, structure: "BlockDiagonal", whole: true),
        Case("SG0017", "In = 3000000000", new (string, object)[] { ("In", 3_000_000_000L), ("Out", 8) }, structure: "Dense"),
        Case("SG0017", "", new (string, object)[] { ("In", 100_000), ("Out", 100_000) }, structure: "Dense", whole: true),
        Case("SG0019", "blocks: \"four\"", new (string, object)[] { ("blocks", "four"), ("In", 8), ("Out", 8) }, structure: "Monarch"),
        Case("SG0019", "Bias = 1", new (string, object)[] { ("Bias", 1), ("In", 8), ("Out", 8) }, structure: "Dense"),
    };

    private static object[] Case(string id, string token, (string, object)[] arguments, string structure = "Monarh", bool whole = false)
        => new object[] { id, token, arguments, structure, whole };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Structure_binder_reports_on_the_argument_at_fault(string id, string token, (string, object)[] arguments, string structure, bool whole)
    {
        (StructureDeclaration declaration, string text) = Attribute(structure, arguments);
        BoundLayer bound = StructureBinder.Bind(declaration);
        LanguageDiagnostic d = Assert.Single(bound.Diagnostics, x => x.Id == id);
        if (whole)
        {
            Assert.Equal(declaration.Span, d.Span);
        }
        else
        {
            Assert.Equal(TextMarks.OffsetOf(text, token), d.Span.Start);
            Assert.Equal(token.Length, d.Span.Length);
        }
        Assert.Equal(d.Descriptor.Severity == DiagnosticSeverityLevel.Error, bound.Spec is null);
    }

    [Fact]
    public void Structured_linear_binds_its_expression_with_the_attribute_sizes()
    {
        (StructureDeclaration declaration, _) = Attribute("StructuredLinear", ("expression", "dense + lowrank(r: 8)"), ("In", 768), ("Out", 768), ("Bias", false), ("Seed", 7));
        BoundLayer bound = DslBinder.BindStructuredLinear(declaration);
        Assert.Empty(bound.Diagnostics);
        Assert.Equal(new AdapterSpec(768, 768, 8, 8), bound.Spec);
        Assert.False(bound.Bias);
        Assert.Equal(7, bound.Seed);
    }

    [Fact]
    public void Structured_linear_diagnostics_land_inside_the_string_literal()
    {
        (StructureDeclaration declaration, string text) = Attribute("StructuredLinear", ("expression", "dense + lowrank(r: 9000)"), ("In", 768), ("Out", 768));
        BoundLayer bound = DslBinder.BindStructuredLinear(declaration);
        LanguageDiagnostic d = Assert.Single(bound.Diagnostics);
        Assert.Equal("SG0008", d.Id);
        Assert.Equal(TextMarks.OffsetOf(text, "9000"), d.Span.Start);
        Assert.Equal(TextMarks.OffsetOf(text, "9000"), d.Span.StartColumn);

        var origin = new SourceSpan(500, 0, 20, 4, 20, 4);
        LanguageDiagnostic moved = Assert.Single(DslBinder.BindStructuredLinear(declaration, origin).Diagnostics);
        Assert.Equal(500 + "dense + lowrank(r: ".Length, moved.Span.Start);
        Assert.Equal(20, moved.Span.StartLine);
    }

    [Fact]
    public void Structured_linear_argument_problems()
    {
        (StructureDeclaration noIn, _) = Attribute("StructuredLinear", ("expression", "dense"), ("Out", 8));
        Assert.Equal(new[] { "SG0004" }, TextMarks.Ids(DslBinder.BindStructuredLinear(noIn).Diagnostics));

        (StructureDeclaration typo, string typoText) = Attribute("StructuredLinear", ("expression", "dense"), ("In", 8), ("Outt", 8), ("Out", 8));
        LanguageDiagnostic unknown = Assert.Single(DslBinder.BindStructuredLinear(typo).Diagnostics);
        Assert.Equal("SG0003", unknown.Id);
        Assert.Contains("did you mean 'Out'", unknown.Message);
        Assert.Equal(TextMarks.OffsetOf(typoText, "Outt"), unknown.Span.Start);

        (StructureDeclaration wrongType, _) = Attribute("StructuredLinear", ("expression", 5), ("In", 8), ("Out", 8));
        Assert.Equal(new[] { "SG0019" }, TextMarks.Ids(DslBinder.BindStructuredLinear(wrongType).Diagnostics));

        (StructureDeclaration noExpression, _) = Attribute("StructuredLinear", ("In", 8), ("Out", 8));
        Assert.Contains("DSL expression", Assert.Single(DslBinder.BindStructuredLinear(noExpression).Diagnostics).Message);

        (StructureDeclaration broken, _) = Attribute("StructuredLinear", ("expression", "dense +"), ("In", 0), ("Out", 8));
        Assert.Equal(new[] { "SG0001", "SG0005" }, TextMarks.Ids(DslBinder.BindStructuredLinear(broken).Diagnostics));
    }

    [Fact]
    public void Expression_widths_must_be_positive()
    {
        BoundLayer bound = DslBinder.BindExpression("dense", 0, 8);
        Assert.Equal("SG0005", Assert.Single(bound.Diagnostics).Id);
        Assert.Null(bound.Spec);
    }
}
