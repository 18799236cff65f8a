using System.Linq;
using System.Reflection;
using StructGen.Language.Diagnostics;

namespace StructGen.Language.Tests;

public class DiagnosticCatalogTests
{
    [Fact]
    public void Ids_are_unique_consecutive_and_all_listed()
    {
        string[] ids = DiagnosticCatalog.All.Select(d => d.Id).ToArray();
        Assert.Equal(Enumerable.Range(1, ids.Length).Select(i => "SG" + i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture)), ids);
        var fields = typeof(DiagnosticCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptorInfo))
            .Select(f => (DiagnosticDescriptorInfo)f.GetValue(null)!);
        Assert.Equal(fields.Select(f => f.Id).OrderBy(id => id), ids);
    }

    [Fact]
    public void Dsl_entries_say_what_to_do()
    {
        Assert.Equal("Layer 'A' contains itself (A -> B -> A); a layer cannot be part of its own definition",
            LanguageDiagnostic.Create(DiagnosticCatalog.CyclicLayer, default, "A", "A -> B -> A").Message);
        Assert.Equal("'B' uses layer 'A', which has errors; fix them at its declaration",
            LanguageDiagnostic.Create(DiagnosticCatalog.UsesInvalidLayer, default, "B", "A").Message);
        Assert.All(new[] { DiagnosticCatalog.UnknownLayer, DiagnosticCatalog.ReservedName, DiagnosticCatalog.CyclicLayer, DiagnosticCatalog.DuplicateArgument, DiagnosticCatalog.UsesInvalidLayer },
            d => Assert.Equal(DiagnosticSeverityLevel.Error, d.Severity));
    }
}
