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
    public static Gen<string> Text(int pieces = 40) =>
        Gen.Frequency((5, Fragment), (2, Word), (1, AnyChar), (1, Gen.String[0, 6]))
            .Array[0, pieces]
            .Select(parts => string.Concat(parts));
}
