using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using StructGen.Analyzers.CallSites;
using StructGen.Generators;

namespace StructGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Microsoft.CodeAnalysis.Testing's analyzer test for <see cref="CallSiteLengthAnalyzer"/>, with the StructGen
/// generator running as it does in a user's build, so declared layers really implement
/// <see cref="IStructuredLinear"/>. References are net10.0 from Basic.Reference.Assemblies plus the runtime;
/// the framework's own reference packages are not resolved (an empty <see cref="ReferenceAssemblies"/>).
/// </summary>
internal sealed class CallSiteAnalyzerTest : CSharpAnalyzerTest<CallSiteLengthAnalyzer, DefaultVerifier>
{
    private static readonly ReferenceAssemblies s_none = new("net10.0");

    public CallSiteAnalyzerTest(string source)
    {
        TestCode = source;
        ReferenceAssemblies = s_none;
        TestState.AdditionalReferences.AddRange(TestReferences.All);
        // The generated layers are the generator's business (its own snapshot tests); here they only need to exist.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators()
    {
        yield return typeof(StructuredLayerGenerator);
    }

    /// <summary>An SG0022 expected at markup location <paramref name="location"/> with the message's arguments.</summary>
    public static DiagnosticResult Length(int location, string parameter, int batch, int features, long actual)
        => new DiagnosticResult("SG0022", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithLocation(location)
            .WithArguments(parameter, $"{batch}·{features} = {(long)batch * features}", actual.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CallSiteAnalyzerTest(source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
