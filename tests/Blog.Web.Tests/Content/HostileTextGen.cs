using CsCheck;

namespace Blog.Web.Tests.Content;

/// <summary>
/// Generators of text a hostile or careless writer might type: mostly pieces of HTML, Markdown, URLs and FTS5
/// syntax glued together in random order, mixed with random characters (controls, lone surrogates, emoji), so
/// the generated strings hit the interesting corners far more often than uniformly random text would.
/// </summary>
public static class HostileTextGen
{
    private static readonly string[] Fragments =
    [
        "<", ">", "</", "/>", "\"", "'", "`", "```", "~~~", "=", "&", ";", "#", "\\", "*", "_", "~", "|", "!", "(", ")",
        "[", "]", "{", "}", "+", "-", ":", "^", ".", ",", " ", "  ", "\n", "\n\n", "\r\n", "\t", "    ",
        "<script>", "</script>", "<SCRIPT SRC=//x/y.js>", "<scr<script>ipt>", "<script/x>", "<img src=x", "<img src=",
        "<svg", "<svg/onload=alert(1)>", "<math>", "<iframe src=", "<object data=", "<embed src=", "<a href=", "<a href=\"",
        "<form action=", "<button formaction=", "<input", "<style>", "</style>", "<base href=", "<meta http-equiv=refresh content=",
        "<link rel=import href=", "<textarea>", "<noscript>", "<template>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml", "<!DOCTYPE",
        " onerror=", " onload=", " onclick=", " ONMOUSEOVER=", "/onfocus=", " autofocus", "alert(1)", "alert`1`",
        "javascript:", "JaVaScRiPt:", "java\tscript:", "java\nscript:", " javascript:", "javascript&colon;", "&#106;avascript:",
        "&#x6A;&#x61;vascript:", "jav&#x09;ascript:", "vbscript:", "data:text/html,", "data:text/html;base64,PHNjcmlwdD4=",
        "livescript:", "http://", "https://example.test/", "//example.test", "mailto:", "www.example.test", "\"><script>",
        "'><script>", "\"onmouseover=\"", "' onmouseover='", "style=", "expression(", "url(", "srcdoc=",
        "&lt;", "&gt;", "&amp;", "&quot;", "&#60;", "&#x3C;", "&#0;", "&nbsp;", "&", "%3Cscript%3E", "\\u003c",
        "[x](", "](javascript:alert(1))", "![i](", "[a]: javascript:alert(1)", "<javascript:alert(1)>", "<https://example.test>",
        "[^1]", "[^1]: ", "- [ ] ", "- [x] ", "> ", ">>>>>>>>", "1. ", "# ", "---", "| a | b |\n|---|---|\n", "***", "__",
        "AND", "OR", "NOT", "NEAR", "NEAR(", "title:", "body_text:", "\"\"", "*", "^", "AND NOT", "(((", ")))",
        "\0", "\u0001", "\u0008", "\u000b", "\u001b", "\u007f", "\u0085", "\u00a0", "\u200b", "\u200e", "\u202e", "\u2028",
        "\ufeff", "\ufffd", "\ud800", "\udc00", "\ue000", "\ue001", "é", "e\u0301", "ß", "Æ", "İ", "ı", "日本語", "한국어",
        "العربية", "🎉", "👩‍💻", "ｓｃｒｉｐｔ", "＜script＞",
    ];

    private static readonly Gen<string> Fragment = Gen.OneOf(Fragments);

    /// <summary>Any character at all, including controls and unpaired surrogates.</summary>
    private static readonly Gen<string> AnyChar = Gen.Char.Select(c => c.ToString());

    /// <summary>Short runs of letters, so words (and search terms) form.</summary>
    private static readonly Gen<string> Word = Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ0123456789"].Array[1, 8].Select(chars => new string(chars));

    /// <summary>A string of up to <paramref name="pieces"/> fragments, words and random characters.</summary>
    public static Gen<string> Text(int pieces = 40) => Pieces(pieces).Select(parts => string.Concat(parts));

    /// <summary>
    /// Like <see cref="Text"/>, with runs that nest far past the Markdown parser's limit (the content default is
    /// 32): short fragments alone almost never nest deep enough to reach it, so renderers would never meet it.
    /// </summary>
    public static Gen<string> Markdown(int pieces = 40) =>
        Gen.Select(Pieces(pieces), Gen.Select(Gen.Frequency((2, DeepRun), (1, IndentedList)), Gen.Int[0, pieces]).Array[1, 3])
            .Select((parts, runs) =>
            {
                // The runs go in at random places, so what surrounds them (an open code span, a list) varies.
                var all = parts.ToList();
                foreach (var (run, at) in runs)
                {
                    all.Insert(Math.Min(at, all.Count), run);
                }
                return string.Concat(all);
            });

    /// <summary>The most times <see cref="Markdown"/> repeats one opener (and the deepest list it indents).</summary>
    public const int MaxRun = 150;

    /// <summary>What opens one more level of nesting in Markdown or HTML, once repeated.</summary>
    private static readonly string[] Openers =
    [
        ">", "> ", "[", "![", "[x](", "(", "- ", "* ", "+ ", "1. ", "*", "_", "**", "~~", "`", "<", "<div>", "<b>",
        "<blockquote>", "<ul><li>", "<a href=\"https://example.test/\">", "| ", "*a ", "_a ", "[a **", "\\",
    ];

    private static readonly Gen<string> DeepRun = Gen.Select(Gen.OneOf(Openers), Gen.Int[1, MaxRun])
        .Select((opener, count) => string.Concat(Enumerable.Repeat(opener, count)));

    /// <summary>A list nested by indentation, one level a line.</summary>
    private static readonly Gen<string> IndentedList = Gen.Select(Gen.OneOf("- ", "* ", "1. "), Gen.Int[1, MaxRun / 2])
        .Select((marker, depth) => string.Concat(Enumerable.Range(0, depth).Select(level => new string(' ', level * marker.Length) + marker + "a\n")));

    private static Gen<string[]> Pieces(int pieces) =>
        Gen.Frequency((5, Fragment), (2, Word), (1, AnyChar), (1, Gen.String[0, 6])).Array[0, pieces];
}
