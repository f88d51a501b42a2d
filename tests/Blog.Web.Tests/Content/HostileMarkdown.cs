using System.Text;

namespace Blog.Web.Tests.Content;

/// <summary>
/// A fixed corpus of Markdown written to hurt parsers: nesting past every limit, runs of delimiters, huge
/// tables and reference chains, odd Unicode and line endings. Each case is built for a field's length limit, so
/// it reaches the renderer rather than the length check; two cases sit just at and just over the limit.
/// </summary>
public static class HostileMarkdown
{
    public const string AtTheLimit = "at-the-limit";
    public const string OverTheLimit = "over-the-limit";

    private static readonly Dictionary<string, Func<int, string>> Cases = new()
    {
        ["quotes-130"] = _ => new string('>', 130),
        ["spaced-quotes-200"] = _ => Repeat("> ", 200) + "deep",
        ["brackets-200"] = _ => new string('[', 200),
        ["list-markers-200"] = _ => Repeat("- ", 200) + "x",
        ["ordered-markers-100"] = _ => Repeat("1. ", 100) + "x",
        ["indented-lists-80"] = _ => string.Concat(Enumerable.Range(0, 80).Select(level => new string(' ', level * 2) + "- item\n")),
        ["tab-indented-lists-60"] = _ => string.Concat(Enumerable.Range(0, 60).Select(level => new string('\t', level) + "* item\n")),
        ["emphasis-runs"] = max => Repeat("*a ", Math.Min(2_000, max / 7)) + Repeat("a* ", Math.Min(2_000, max / 7)),
        ["many-stars-and-underscores"] = max => Fill("*_**__***___", max, 30_000),
        ["backticks-100k"] = max => new string('`', Math.Min(100_000, max)),
        ["html-nested-10000"] = max => Repeat("<div>", Math.Min(10_000, (max - 6) / 5)) + "inside",
        ["html-inline-nested"] = max => Repeat("<em><strong>", Math.Min(5_000, (max - 6) / 12)) + "inside",
        ["html-lists-nested"] = max => Repeat("<ul><li>", Math.Min(5_000, (max - 6) / 8)) + "inside",
        ["nested-links"] = _ => Repeat("[", 150) + "text" + Repeat("](https://example.test/)", 150),
        ["nested-images"] = _ => Repeat("![", 150) + "alt" + Repeat("](https://example.test/i.png)", 150),
        ["links-in-link-text"] = _ => Repeat("[a [b](https://example.test/b) ", 100) + Repeat("](https://example.test/a)", 100),
        ["reference-chain"] = ReferenceChain,
        ["huge-table"] = HugeTable,
        ["wide-table"] = max => Table(columns: Math.Min(2_000, max / 10), rows: 2),
        ["unclosed-fences"] = max => Fill("```\n~~~~\n```` x\n", max, 20_000),
        ["unclosed-html-comment"] = max => "<!--" + Fill("a ", max - 10, 50_000),
        ["entities"] = max => Fill("&#x1F600;&#0;&#xFFFFFF;&#99999999;&nbsp&amp;&#x202E;", max, 20_000),
        ["odd-unicode"] = _ => "\u202Eevil\u202C \u200B\u200D\uFEFF zero width, e" + new string('\u0301', 500)
            + " 👩‍👩‍👧‍👦 \uFFFD \uE000 𝕊𝕡𝕒𝕞 ＜script＞ \u2028line\u2029para \u0085next",
        ["crlf-mix"] = max => Fill("a\r\n> b\r> c\n- d\r\n\r\n```\r\ncode\r```\r\n| h |\r|---|\n| c |\r\n\r", max, 20_000),
        ["autolinks"] = max => Fill("www.example.test/a_b_ http://x.test/( <https://y.test> ", max, 20_000),
        ["backslashes"] = max => new string('\\', Math.Min(max, 50_000)),
        [AtTheLimit] = max => new string('a', max),
        [OverTheLimit] = max => new string('a', max + 1),
    };

    public static IReadOnlyCollection<string> Names => Cases.Keys;

    /// <summary>The case <paramref name="name"/>, built for a field that takes at most <paramref name="maxLength"/> characters.</summary>
    public static string Build(string name, int maxLength) => Cases[name](maxLength);

    private static string Repeat(string piece, int count) => string.Concat(Enumerable.Repeat(piece, Math.Max(0, count)));

    /// <summary>The piece repeated to fill <paramref name="max"/> characters, or <paramref name="cap"/> if fewer.</summary>
    private static string Fill(string piece, int max, int cap)
    {
        var length = Math.Min(max, cap);
        return Repeat(piece, length / piece.Length + 1)[..length];
    }

    /// <summary>Definitions that point at each other, used in one long run of references.</summary>
    private static string ReferenceChain(int max)
    {
        var count = Math.Min(2_000, max / 50);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("[r").Append(i).Append("][r").Append(i + 1).Append(']');
        }
        text.Append("\n\n");
        for (var i = 0; i <= count; i++)
        {
            text.Append("[r").Append(i).Append("]: https://example.test/").Append(i).Append('\n');
        }
        return text.ToString();
    }

    private static string HugeTable(int max)
    {
        const int columns = 50;
        var rows = Math.Min(1_000, (max / ((columns * 2) + 2)) - 3);
        return Table(columns, rows);
    }

    private static string Table(int columns, int rows)
    {
        var text = new StringBuilder();
        text.Append('|').Append(Repeat("h|", columns)).Append('\n');
        text.Append('|').Append(Repeat("-|", columns)).Append('\n');
        for (var row = 0; row < rows; row++)
        {
            text.Append('|').Append(Repeat("c|", columns)).Append('\n');
        }
        return text.ToString();
    }
}
