using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Ganss.Xss;

namespace Blog.Web.Content;

/// <summary>
/// The allowlist for post and page bodies: what Markdown can produce (headings, lists, links, images, tables,
/// code, quotes, footnotes) and nothing that runs code, loads frames or styles the page. One configured
/// instance for the whole app; HtmlSanitizer's <c>Sanitize</c> is thread-safe once configured.
/// </summary>
public sealed partial class PostHtmlSanitizer
{
    private static readonly string[] Tags =
    [
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "section", "span",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "img", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "code", "pre", "kbd", "samp", "var", "blockquote", "q", "cite", "abbr",
        "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    ];

    private static readonly string[] Attributes =
    [
        "href", "title", "src", "alt", "width", "height", "class", "id", "start", "reversed",
        "colspan", "rowspan", "scope", "datetime", "cite",
    ];

    // Classes Markdig writes for footnotes and task lists; anything else an author types is dropped.
    private static readonly string[] Classes =
    [
        "footnotes", "footnote-ref", "footnote-back-ref", "task-list-item", "contains-task-list", "task-done", "task-open",
    ];

    private readonly HtmlSanitizer _sanitizer;

    public PostHtmlSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(Attributes, StringComparer.OrdinalIgnoreCase),
            AllowedClasses = new HashSet<string>(Classes, StringComparer.Ordinal),
            // No style attribute at all: the Content-Security-Policy forbids inline styles anyway.
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            // Relative links and #fragments stay; data:, javascript:, vbscript: and the rest go.
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src", "cite"], StringComparer.OrdinalIgnoreCase),
            AllowDataAttributes = false,
        };
        _sanitizer = new HtmlSanitizer(options) { HtmlParserFactory = SanitizerParser.Create };
        _sanitizer.RemovingCssClass += (_, e) => e.Cancel = CodeLanguageClass().IsMatch(e.CssClass);
        _sanitizer.PostProcessNode += (_, e) => KeepOnlyFootnoteIds(e.Node);
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    // Syntax highlighters key off "language-xyz" on code blocks; harmless, so it is kept.
    [GeneratedRegex("^language-[a-z0-9+#-]{1,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeLanguageClass();

    [GeneratedRegex(@"^fn(ref)?:\d{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex FootnoteId();

    // Ids are needed for footnote links, but any other id could clobber the page's own elements.
    private static void KeepOnlyFootnoteIds(INode node)
    {
        if (node is IElement element && element.GetAttribute("id") is { } id && !FootnoteId().IsMatch(id))
        {
            element.RemoveAttribute("id");
        }
    }
}
