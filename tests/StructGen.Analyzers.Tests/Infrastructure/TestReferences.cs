using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StructGen.Analyzers.Tests.Infrastructure;

/// <summary>What a user's project compiles against: net10.0 reference assemblies and the StructGen runtime.</summary>
internal static class TestReferences
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>net10.0 reference assemblies from Basic.Reference.Assemblies (the testing framework's own packages are not served here).</summary>
    public static readonly ImmutableArray<MetadataReference> Framework = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .ToImmutableArray();

    /// <summary>The runtime: attributes, <see cref="IStructuredLinear"/>, the kernels generated code calls.</summary>
    public static readonly MetadataReference Runtime = MetadataReference.CreateFromFile(typeof(IStructuredLinear).Assembly.Location);

    public static ImmutableArray<MetadataReference> All { get; } = Framework.Add(Runtime);
}
