using System.Text;
using System.Text.RegularExpressions;

namespace Blog.Web.Features.Import.Sources;

/// <summary>
/// WordPress stores bodies the way they were typed and adds paragraphs when it shows them (<c>wpautop</c>); an
/// imported body is shown as stored, so the paragraphs are made explicit here, the <c>&lt;!--more--&gt;</c> marker
/// split out, and <c>[caption]</c> turned into a figure. Other shortcodes stay as the readable text they are.
/// </summary>
internal static partial class WordPressContent
{
    private const string Blocks =
        "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary";

    /// <summary>A post's body as HTML, and the part before its <c>&lt;!--more--&gt;</c> marker when it has one.</summary>
    public static (string Html, string? BeforeMore) Post(string raw)
    {
        var more = MoreMarker().Match(raw);
        if (!more.Success)
        {
            return (Paragraphs(Captions(raw)), null);
        }
        var before = raw[..more.Index];
        var after = raw[(more.Index + more.Length)..];
        return (Paragraphs(Captions(before + after)), Paragraphs(Captions(before)));
    }

    /// <summary>A comment as HTML: WordPress stores comments as typed too.</summary>
    public static string Comment(string raw) => Paragraphs(raw);

    /// <summary>
    /// <c>[caption …]&lt;img …&gt; Text[/caption]</c> → a figure with the text as its caption (the old form's
    /// <c>caption="…"</c> attribute too); without a picture inside, the text is kept as a paragraph.
    /// </summary>
    public static string Captions(string text) => CaptionShortcode().Replace(text, match =>
    {
        var inner = match.Groups["inner"].Value;
        var picture = CaptionedPicture().Match(inner);
        if (!picture.Success)
        {
            return inner.Trim().Length == 0 ? "" : "<p>" + inner.Trim() + "</p>";
        }
        var caption = picture.Groups["caption"].Value.Trim();
        if (caption.Length == 0 && CaptionAttribute().Match(match.Groups["attributes"].Value) is { Success: true } attribute)
        {
            caption = attribute.Groups[1].Value.Trim();
        }
        var figcaption = caption.Length > 0 ? "<figcaption>" + caption + "</figcaption>" : "";
        return "\n\n<figure>" + picture.Groups["picture"].Value.Trim() + figcaption + "</figure>\n\n";
    });

    /// <summary>
    /// Blank lines become paragraphs and single line breaks <c>&lt;br /&gt;</c>, except inside block elements (lists,
    /// tables, <c>pre</c>…), which are left as written.
    /// </summary>
    public static string Paragraphs(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var kept = new List<string>();
        text = Preformatted().Replace(text, match =>
        {
            kept.Add(match.Value);
            return "\n\n<pre data-kept=\"" + (kept.Count - 1) + "\"></pre>\n\n";
        });
        // A line break inside a tag (between attributes) is not a line of text.
        text = Tag().Replace(text, match => match.Value.Replace('\n', ' '));
        text = BlockOpen().Replace(text, "\n\n$1");
        text = BlockClose().Replace(text, "$1\n\n");
        var html = new StringBuilder(text.Length + 64);
        foreach (var chunk in BlankLines().Split(text))
        {
            var trimmed = chunk.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }
            html.Append(StartsWithBlock().IsMatch(trimmed) ? Block(trimmed) : Inline(trimmed)).Append('\n');
        }
        var result = html.ToString().TrimEnd();
        return kept.Count == 0 ? result : KeptPlaceholder().Replace(result, match =>
            int.TryParse(match.Groups[1].Value, out var index) && index < kept.Count ? kept[index] : match.Value);
    }

    /// <summary>A chunk opening a block: as written, except that a quotation's text becomes its paragraph.</summary>
    private static string Block(string chunk)
    {
        var quote = QuoteStart().Match(chunk);
        return quote.Success && !StartsWithBlock().IsMatch(quote.Groups[2].Value.TrimStart())
            ? quote.Groups[1].Value + Inline(quote.Groups[2].Value.Trim())
            : chunk;
    }

    /// <summary>Text (possibly ending a block: <c>…&lt;/blockquote&gt;</c>) as a paragraph with its line breaks.</summary>
    private static string Inline(string chunk)
    {
        var closing = "";
        var end = TrailingCloses().Match(chunk);
        if (end.Success)
        {
            closing = end.Groups[2].Value.Trim();
            chunk = end.Groups[1].Value.Trim();
        }
        if (chunk.Length == 0)
        {
            return closing;
        }
        return "<p>" + LineBreaks(chunk) + "</p>" + closing;
    }

    /// <summary>Each line ends with <c>&lt;br /&gt;</c>, unless it already does.</summary>
    private static string LineBreaks(string text)
    {
        var lines = text.Split('\n');
        var html = new StringBuilder(text.Length + lines.Length * 6);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim(' ', '\t');
            html.Append(line);
            if (i < lines.Length - 1)
            {
                html.Append(EndsWithBreak().IsMatch(line) ? "\n" : "<br />\n");
            }
        }
        return html.ToString();
    }

    // Without backtracking: a body full of unclosed markers would otherwise cost time growing with its square.
    [GeneratedRegex(@"<!--\s*more\b.*?-->", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex MoreMarker();

    [GeneratedRegex(@"\[(?:wp_)?caption(?<attributes>[^\]]*)\](?<inner>.*?)\[/(?:wp_)?caption\]", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex CaptionShortcode();

    [GeneratedRegex(@"^\s*(?<picture>(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(?<caption>.*)$", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CaptionedPicture();

    [GeneratedRegex(@"\bcaption\s*=\s*""([^""]*)""", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex CaptionAttribute();

    [GeneratedRegex(@"<pre\b.*?</pre>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Preformatted();

    [GeneratedRegex(@"<pre data-kept=""(\d{1,9})""></pre>")]
    private static partial Regex KeptPlaceholder();

    [GeneratedRegex(@"<[^<>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"(<(?:" + Blocks + @")(?=[\s/>])[^<>]*>)", RegexOptions.IgnoreCase)]
    private static partial Regex BlockOpen();

    [GeneratedRegex(@"(</(?:" + Blocks + @")\s*>)", RegexOptions.IgnoreCase)]
    private static partial Regex BlockClose();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"^</?(?:" + Blocks + @")(?=[\s/>])", RegexOptions.IgnoreCase)]
    private static partial Regex StartsWithBlock();

    [GeneratedRegex(@"^(<blockquote\b[^>]*>)(.*)$", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex QuoteStart();

    [GeneratedRegex(@"^(.*?)((?:\s*</(?:" + Blocks + @")\s*>)+)$", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex TrailingCloses();

    [GeneratedRegex(@"<br\s*/?>$", RegexOptions.IgnoreCase)]
    private static partial Regex EndsWithBreak();
}
