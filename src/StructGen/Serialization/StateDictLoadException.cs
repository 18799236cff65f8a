using System;
using System.Collections.Generic;
using System.Text;

namespace StructGen.Serialization;

/// <summary>
/// A state dict does not fit a layer: every missing key, unexpected key, shape mismatch and ambiguous key is
/// listed together, in the words of torch's <c>load_state_dict(strict=True)</c>. Thrown before anything is
/// written: the layer's parameters are unchanged.
/// </summary>
/// <remarks>
/// It is an <see cref="ArgumentException"/>: the state dict is well formed but does not fit the layer. A file
/// that cannot be read at all raises <see cref="System.IO.InvalidDataException"/> instead.
/// </remarks>
public sealed class StateDictLoadException : ArgumentException
{
    internal StateDictLoadException(
        string target,
        IReadOnlyList<string> missingKeys,
        IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<string> shapeMismatches,
        IReadOnlyList<string> ambiguousKeys)
        : base(Format(target, missingKeys, unexpectedKeys, shapeMismatches, ambiguousKeys))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
        AmbiguousKeys = ambiguousKeys;
    }

    /// <summary>Keys the layer needs that the state dict lacks (reported when strict).</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys under the prefix that the layer has no tensor for (reported when strict).</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>One line per tensor whose shape differs: key, shape in the state dict, shape in the layer.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    /// <summary>Keys present both bare and with <c>.weight</c>, so which one to load is unclear.</summary>
    public IReadOnlyList<string> AmbiguousKeys { get; }

    private static string Format(string target, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatches, IReadOnlyList<string> ambiguous)
    {
        var sb = new StringBuilder();
        sb.Append("Error(s) in loading state_dict for ").Append(target).Append(':');
        if (missing.Count > 0)
        {
            sb.Append("\n\tMissing key(s) in state_dict: ").Append(QuoteAll(missing)).Append(". (A key may also end in \".weight\", as nn.Linear wraps it.)");
        }
        if (unexpected.Count > 0)
        {
            sb.Append("\n\tUnexpected key(s) in state_dict: ").Append(QuoteAll(unexpected)).Append('.');
        }
        foreach (string line in mismatches)
        {
            sb.Append("\n\t").Append(line);
        }
        foreach (string key in ambiguous)
        {
            sb.Append("\n\tAmbiguous key: both \"").Append(key).Append("\" and \"").Append(key).Append(".weight\" are in state_dict.");
        }
        sb.Append("\nNothing was loaded; the layer's parameters are unchanged.");
        return sb.ToString();
    }

    private static string QuoteAll(IReadOnlyList<string> keys) => "\"" + string.Join("\", \"", keys) + "\"";
}
