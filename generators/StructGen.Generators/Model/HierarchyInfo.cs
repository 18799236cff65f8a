using StructGen.Language.Collections;

namespace StructGen.Generators.Model;

/// <summary>Where the user's type lives: namespace and containing types, so the generated part re-opens them.</summary>
/// <param name="Namespace">Namespace, empty for the global namespace.</param>
/// <param name="Containing">Containing types, outermost first.</param>
/// <param name="TypeName">The layer's own name.</param>
internal sealed record HierarchyInfo(string Namespace, EquatableArray<TypeDeclarationInfo> Containing, string TypeName)
{
    /// <summary>Unique, file-name-safe hint for AddSource.</summary>
    public string HintName
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            if (Namespace.Length > 0)
            {
                parts.Add(Namespace);
            }
            foreach (TypeDeclarationInfo t in Containing)
            {
                parts.Add(Sanitize(t.NameWithTypeParameters));
            }
            parts.Add(TypeName);
            return string.Join(".", parts) + ".g.cs";
        }
    }

    public string FullName => (Namespace.Length > 0 ? Namespace + "." : "") + string.Concat(System.Linq.Enumerable.Select(Containing, c => c.NameWithTypeParameters + ".")) + TypeName;

    private static string Sanitize(string name) => name.Replace('<', '{').Replace('>', '}').Replace(", ", ",");
}
