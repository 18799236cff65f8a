using System;
using System.Text;

namespace StructGen.Serialization;

/// <summary>Text taken from a file (names, globals) that goes into an error message: kept short and printable.</summary>
internal static class UntrustedText
{
    private const int MaxLength = 100;

    public static string Quote(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxLength) + 1);
        foreach (char c in text)
        {
            if (sb.Length >= MaxLength)
            {
                sb.Append('…');
                break;
            }
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                sb.Append($"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
