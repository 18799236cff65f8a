using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using StructGen.Analyzers.CallSites;
using StructGen.Analyzers.Tests.Infrastructure;
using StructGen.Generators;

namespace StructGen.Analyzers.Tests.Documentation;

/// <summary>
/// docs/diagnostics.md is where every help link points: it must have a section for each catalog id,
/// titled and graded as the catalog says.
/// </summary>
public sealed class DiagnosticsDocumentationTests
{
    /// <summary>Id, title and severity of every catalog entry, read from the language compiled into the analyzer assembly.</summary>
    private static IReadOnlyList<(string Id, string Title, string Severity, string HelpLink)> Catalog()
    {
        Type catalog = typeof(CallSiteLengthAnalyzer).Assembly.GetType("StructGen.Language.Diagnostics.DiagnosticCatalog", throwOnError: true)!;
        var all = (IEnumerable)catalog.GetProperty("All", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        return all.Cast<object>()
            .Select(entry => (
                (string)Read(entry, "Id"),
                (string)Read(entry, "Title"),
                Read(entry, "Severity").ToString()!.ToLowerInvariant(),
                (string)Read(entry, "HelpLink")))
            .ToList();
    }

    private static object Read(object entry, string property) => entry.GetType().GetProperty(property)!.GetValue(entry)!;

    private static string Document()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string path = Path.Combine(directory.FullName, "docs", "diagnostics.md");
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }
        throw new FileNotFoundException("docs/diagnostics.md not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Every_catalog_id_has_a_section_with_its_title_and_severity()
    {
        string document = Document();
        var catalog = Catalog();
        Assert.NotEmpty(catalog);
        foreach ((string id, string title, string severity, string helpLink) in catalog)
        {
            Assert.EndsWith("docs/diagnostics.md#" + id.ToLowerInvariant(), helpLink);
            Match section = Regex.Match(document, $@"^## {id}\r?\n\r?\n\*\*(?<title>[^*]+)\*\* · (?<severity>\w+) · ", RegexOptions.Multiline);
            Assert.True(section.Success, $"no '## {id}' section with a title line");
            Assert.Equal(title, section.Groups["title"].Value);
            Assert.Equal(severity, section.Groups["severity"].Value);
            Assert.Matches($@"\| \[{id}\]\(#{id.ToLowerInvariant()}\) \| {severity} \| {Regex.Escape(title)} \|", document);
        }
    }

    [Fact]
    public void The_document_has_no_section_for_an_id_the_catalog_lacks()
    {
        var ids = Catalog().Select(e => e.Id).ToHashSet();
        foreach (Match heading in Regex.Matches(Document(), @"^## (SG\d{4})", RegexOptions.Multiline))
        {
            Assert.Contains(heading.Groups[1].Value, ids);
        }
    }

    /// <summary>
    /// Each C# example of a section, compiled with the generator (and the call-site analyzer), reports the
    /// messages quoted under it word for word.
    /// </summary>
    [Fact]
    public async Task The_CSharp_examples_produce_the_quoted_messages()
    {
        string document = Document().Replace("\r\n", "\n");
        var examples = Regex.Matches(document, @"^## (?<id>SG\d{4})\n(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)
            .SelectMany(section => Regex.Matches(section.Groups["body"].Value, @"^```csharp\n(?<code>.*?)^```\n\n(?<quotes>(?:>.*\n)+)", RegexOptions.Multiline | RegexOptions.Singleline)
                .Select(example => (Id: section.Groups["id"].Value, Code: example.Groups["code"].Value, Quotes: example.Groups["quotes"].Value)))
            .ToList();
        Assert.True(examples.Count >= 10, $"found only {examples.Count} C# examples");

        foreach ((string id, string code, string quotes) in examples)
        {
            string[] expected = quotes.Split('\n')
                .Where(line => line.StartsWith("> ", StringComparison.Ordinal))
                .Select(line => line.Substring(2))
                .ToArray();
            IReadOnlyList<string> actual = await MessagesAsync(id, code);
            foreach (string message in expected)
            {
                Assert.True(actual.Contains(message), $"{id}: expected \"{message}\" among [{string.Join(" | ", actual)}]");
            }
        }
    }

    /// <summary>What the generator and the call-site analyzer report with <paramref name="id"/> for an example.</summary>
    private static async Task<IReadOnlyList<string>> MessagesAsync(string id, string code)
    {
        // A call-site example is statements: give it a method, and the layer it calls.
        string source = code.Contains("layer.Forward", StringComparison.Ordinal)
            ? "using StructGen;\n[Monarch(blocks: 16, In = 1024, Out = 4096)] public partial class FfnUp;\npublic static class Example { public static void Run() {\n" + code + "} }\n"
            : "using StructGen;\n" + code;
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Example",
            new[] { CSharpSyntaxTree.ParseText(source, TestReferences.ParseOptions, "Example.cs") },
            TestReferences.All,
            TestReferences.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new StructuredLayerGenerator().AsSourceGenerator() }, parseOptions: TestReferences.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        IEnumerable<Diagnostic> reported = driver.GetRunResult().Diagnostics;
        if (id == "SG0022")
        {
            reported = await output.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(new CallSiteLengthAnalyzer()))
                .GetAnalyzerDiagnosticsAsync();
        }
        return reported.Where(d => d.Id == id).Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
