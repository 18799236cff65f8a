using Microsoft.CodeAnalysis.Text;

namespace StructGen.Generators.Tests.Infrastructure;

/// <summary>
/// Source text with the expected diagnostic location marked as <c>«…»</c> (chosen because C#'s own
/// brackets appear in attributes): <c>[Monarch(«blocks: 7», In = 4, Out = 8)]</c>.
/// </summary>
internal sealed record MarkedSource(string Text, TextSpan Span)
{
    public const char Open = '«';
    public const char Close = '»';

    public string MarkedText => Text.Substring(Span.Start, Span.Length);

    public static MarkedSource Parse(string marked)
    {
        int open = marked.IndexOf(Open, System.StringComparison.Ordinal);
        int close = marked.IndexOf(Close, System.StringComparison.Ordinal);
        Assert.True(open >= 0 && close > open && marked.IndexOf(Open, open + 1) < 0 && marked.IndexOf(Close, close + 1) < 0,
            "mark the expected location exactly once with «…»: " + marked);
        string text = marked.Remove(close, 1).Remove(open, 1);
        return new MarkedSource(text, new TextSpan(open, close - open - 1));
    }
}
