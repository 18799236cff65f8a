using System.Collections.Generic;
using StructGen.Language.Ir;
using StructGen.Language.Shapes;

namespace StructGen.Language.Binding;

/// <summary>
/// Names a DSL layer, model or namespace cannot take: the DSL's own words (a layer called <c>relu</c>
/// could never be used as a step), and C#'s keywords (each declaration becomes a C# class).
/// </summary>
internal static class ReservedNames
{
    private static readonly HashSet<string> s_keywords = new()
    {
        "namespace", "layer", "model",
    };

    private static readonly HashSet<string> s_csharp = new()
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Why a layer or model may not be called <paramref name="name"/>, or null when it may.</summary>
    public static string? WhyReservedForDeclaration(string name)
    {
        if (StructureNames.TryParse(name, out _) && IsDslStructureName(name))
        {
            return "a structure of the DSL";
        }
        if (ActivationNames.TryParse(name, out _))
        {
            return "an activation of the DSL";
        }
        if (s_keywords.Contains(name))
        {
            return "a keyword of the DSL";
        }
        return WhyReservedForNamespace(name);
    }

    /// <summary>Why a namespace part may not be <paramref name="name"/>, or null when it may.</summary>
    public static string? WhyReservedForNamespace(string name) => s_csharp.Contains(name) ? "a C# keyword" : null;

    public static bool IsDslStructureName(string name)
    {
        foreach (string dsl in StructureNames.DslNames)
        {
            if (dsl == name)
            {
                return true;
            }
        }
        return false;
    }
}
