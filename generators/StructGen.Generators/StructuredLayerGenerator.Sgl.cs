using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using StructGen.Generators.Emit;
using StructGen.Generators.Model;
using StructGen.Language.Binding;
using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;

namespace StructGen.Generators;

public sealed partial class StructuredLayerGenerator
{
    /// <summary>
    /// The <c>.sgl</c> branch: read a file's text, bind it, and decide for each declaration what it becomes
    /// once every other generated name is known. Every method here returns plain values.
    /// </summary>
    internal static class Sgl
    {
        public const string Extension = ".sgl";

        /// <summary>The suffix of every hint name of a <c>.sgl</c> class (attribute layers end in plain <c>.g.cs</c>).</summary>
        public const string HintSuffix = ".sgl.g.cs";

        public static bool IsSglFile(AdditionalText text) => text.Path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

        /// <summary>The file's path and text; an unreadable file reads as empty (it declares nothing).</summary>
        public static SglText Read(AdditionalText text, CancellationToken cancellationToken)
            => new(text.Path, text.GetText(cancellationToken)?.ToString() ?? "");

        /// <summary>Binds the file; its diagnostics are located in the file (<c>Location.Create(path, …)</c>).</summary>
        public static SglFile Bind(SglText file, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BoundFile bound = DslBinder.BindFile(file.Text);
            string fileName = System.IO.Path.GetFileName(file.Path);
            var declarations = new List<SglDeclaration>();
            int index = 0;
            foreach (BoundDeclaration declaration in bound.Declarations)
            {
                if (declaration.Name.Length == 0 || declaration.Diagnostics.Any(d => d.Descriptor == DiagnosticCatalog.DuplicateName))
                {
                    // A name the parser had to insert (the syntax error is reported), or the file's own second
                    // declaration of a name (the binder reported it): nothing to claim.
                    continue;
                }
                string text = Excerpt(file.Text, declaration.Span) + " (" + fileName + ")";
                declarations.Add(new SglDeclaration(file.Path, index++, declaration.Namespace ?? "", declaration.Name, declaration.NameSpan, text,
                    (declaration as BoundLayerDeclaration)?.Spec, (declaration as BoundModelDeclaration)?.Spec));
            }
            return new SglFile(
                file.Path,
                bound.Diagnostics.Select(d => DiagnosticInfo.From(d, file.Path)).ToEquatableArray(),
                declarations.ToEquatableArray());
        }

        /// <summary>The claims of every <c>.sgl</c> declaration, ordered so that the first declared comes first.</summary>
        public static EquatableArray<SglClaim> Claims(IEnumerable<SglDeclaration> declarations)
            => declarations
                .Select(d => new SglClaim(d.FullName, d.Path, d.Index))
                .OrderBy(c => c.Path, StringComparer.Ordinal)
                .ThenBy(c => c.Index)
                .ToEquatableArray();

        /// <summary>
        /// A declaration against every name: a class name that an attribute layer or an earlier <c>.sgl</c>
        /// declaration already has is SG0012 on this declaration's name; otherwise its layer or model is
        /// generated under a hint name unique without regard to case (as Roslyn compares hint names).
        /// </summary>
        public static SglResolution Resolve(SglDeclaration declaration, NameTable names)
        {
            string fullName = declaration.FullName;
            bool takenByAttribute = names.Attributes.Any(a => a.FullName == fullName);
            bool takenBySgl = names.Sgl.TakeWhile(c => !IsSelf(c, declaration)).Any(c => c.FullName == fullName);
            if (takenByAttribute || takenBySgl)
            {
                var duplicate = new DiagnosticInfo(DiagnosticCatalog.DuplicateName, declaration.Path, declaration.NameSpan, EquatableArray.Create(fullName));
                return new SglResolution(null, duplicate);
            }
            if (declaration.Layer is null && declaration.Model is null)
            {
                return new SglResolution(null, null);
            }
            if (GeneratedNames.WhyReserved(declaration.Name, declaration.Layer, declaration.Model) is { } why)
            {
                var reserved = new DiagnosticInfo(DiagnosticCatalog.ReservedName, declaration.Path, declaration.NameSpan, EquatableArray.Create(declaration.Name, why));
                return new SglResolution(null, reserved);
            }

            var hierarchy = new HierarchyInfo(declaration.Namespace, EquatableArray<TypeDeclarationInfo>.Empty, declaration.Name);
            string hint = HintName(declaration, names);
            return declaration.Layer is { } layer
                ? new SglResolution(new SglOutput(hint, new LayerModel(hierarchy, layer, Bias: true, Seed: 0, declaration.Declaration, "public "), null), null)
                : new SglResolution(new SglOutput(hint, null, new ModelInfo(hierarchy, declaration.Model!, 0, declaration.Declaration)), null);
        }

        /// <summary>
        /// <c>Demo.Layers.Ffn.sgl.g.cs</c>; where that is already taken ignoring case (<c>Ffn</c> and <c>FFN</c>,
        /// or an attribute layer nested so that its hint reads the same), <c>Demo.Layers.Ffn.2.sgl.g.cs</c>, …
        /// (no class name makes <c>.2.</c>, so these cannot collide in turn).
        /// </summary>
        private static string HintName(SglDeclaration declaration, NameTable names)
        {
            var taken = new HashSet<string>(names.Attributes.Select(a => a.HintName), StringComparer.OrdinalIgnoreCase);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (SglClaim claim in names.Sgl)
            {
                if (!seen.Add(claim.FullName))
                {
                    continue; // a duplicate: reported, generates nothing, takes no hint
                }
                string hint = Unique(claim.FullName, taken);
                if (IsSelf(claim, declaration))
                {
                    return hint;
                }
                taken.Add(hint);
            }
            return Unique(declaration.FullName, taken);
        }

        private static string Unique(string fullName, HashSet<string> taken)
        {
            string hint = fullName + HintSuffix;
            for (int n = 2; taken.Contains(hint); n++)
            {
                hint = fullName + "." + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + HintSuffix;
            }
            return hint;
        }

        private static bool IsSelf(SglClaim claim, SglDeclaration declaration) => claim.Path == declaration.Path && claim.Index == declaration.Index;

        /// <summary>
        /// The declaration as written, for the generated code's header: comments dropped and whitespace runs
        /// made one space (the DSL has no strings, so this is exact), so that editing a comment or the layout
        /// inside a declaration leaves its model, and its generated code, unchanged.
        /// </summary>
        private static string Excerpt(string text, SourceSpan span)
        {
            int start = Math.Max(0, Math.Min(span.Start, text.Length));
            int end = Math.Max(start, Math.Min(span.End, text.Length));
            var result = new System.Text.StringBuilder(end - start);
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c == '/' && i + 1 < end && text[i + 1] == '/')
                {
                    while (i + 1 < end && !IsLineBreak(text[i + 1]))
                    {
                        i++;
                    }
                    c = ' ';
                }
                else if (c == '/' && i + 1 < end && text[i + 1] == '*')
                {
                    int close = text.IndexOf("*/", i + 2, end - i - 2, StringComparison.Ordinal);
                    i = close < 0 ? end : close + 1;
                    c = ' ';
                }
                if (char.IsWhiteSpace(c))
                {
                    if (result.Length > 0 && result[result.Length - 1] != ' ')
                    {
                        result.Append(' ');
                    }
                }
                else
                {
                    result.Append(c);
                }
            }
            return result.ToString().Trim();
        }

        private static bool IsLineBreak(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';
    }
}
