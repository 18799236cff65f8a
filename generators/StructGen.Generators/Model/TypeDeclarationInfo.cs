namespace StructGen.Generators.Model;

/// <summary>One type in the nesting chain: keyword (<c>class</c>, <c>struct</c>, <c>record</c>…) and name with type parameters.</summary>
internal sealed record TypeDeclarationInfo(string Keyword, string NameWithTypeParameters);
