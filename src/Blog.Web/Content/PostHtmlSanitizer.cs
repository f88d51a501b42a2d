using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Blog.Web.Features.Media;
using Ganss.Xss;

namespace Blog.Web.Content;

/// <summary>
/// The allowlist for post and page bodies: what Markdown can produce (headings, lists, links, images, tables,
/// code, quotes, footnotes), the responsive <c>&lt;picture&gt;</c> markup of library pictures, and nothing that runs
/// code, loads frames or styles the page. Images load only from the blog's own media addresses or https. One
/// configured instance for the whole app; HtmlSanitizer's <c>Sanitize</c> is thread-safe once configured.
/// </summary>
public sealed partial class PostHtmlSanitizer
{
    private static readonly string[] Tags =
    [
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "section", "span",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "img", "picture", "source", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "code", "pre", "kbd", "samp", "var", "blockquote", "q", "cite", "abbr",
        "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    ];

    private static readonly string[] Attributes =
    [
        "href", "title", "src", "alt", "width", "height", "class", "id", "start", "reversed",
        "colspan", "rowspan", "scope", "datetime", "cite",
        // Responsive images; each is checked further in KeepOnlySafeImageAttributes.
        "srcset", "sizes", "type", "loading", "decoding", "fetchpriority",
    ];

    // The values these attributes may take, on the only elements they belong to.
    private static readonly Dictionary<string, (string[] Elements, string[] Values)> Keywords = new(StringComparer.Ordinal)
    {
        ["loading"] = (["img"], ["lazy", "eager"]),
        ["decoding"] = (["img"], ["async", "sync", "auto"]),
        ["fetchpriority"] = (["img"], ["high", "low", "auto"]),
        ["type"] = (["source"], ["image/webp", "image/avif", "image/jpeg", "image/png", "image/gif"]),
    };

    // Classes Markdig writes for footnotes and task lists, and the one for a picture that is gone; anything else an
    // author types is dropped.
    private static readonly string[] Classes =
    [
        "footnotes", "footnote-ref", "footnote-back-ref", "task-list-item", "contains-task-list", "task-done", "task-open",
        BodyPictures.GoneClass,
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
        _sanitizer.PostProcessNode += (_, e) => KeepOnlySafeImageAttributes(e.Node);
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    // Syntax highlighters key off "language-xyz" on code blocks; harmless, so it is kept.
    [GeneratedRegex("^language-[a-z0-9+#-]{1,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeLanguageClass();

    [GeneratedRegex(@"^fn(ref)?:\d{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex FootnoteId();

    // A srcset candidate's descriptor: a width ("480w") or a pixel density ("2x").
    [GeneratedRegex(@"^(?:[1-9][0-9]{0,4}w|[0-9]{1,2}(?:\.[0-9]{1,2})?x)$", RegexOptions.CultureInvariant)]
    private static partial Regex SrcSetDescriptor();

    // Media conditions and lengths: "(min-width: 56rem) 42rem, calc(100vw - 2rem)". No quotes, no url().
    [GeneratedRegex(@"^[a-z0-9 ().,:%+*/-]{1,300}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sizes();

    /// <summary>
    /// An image address a post may load: one of the blog's own media files, or any https address. HtmlSanitizer
    /// checks <c>src</c> schemes only, and not <c>srcset</c> at all (not a URI attribute to it), hence this.
    /// </summary>
    public static bool IsAllowedImageAddress(string url) =>
        MediaAddresses.TryParse(url, out _, out _, out _) && url.StartsWith(MediaAddresses.PathPrefix, StringComparison.Ordinal)
        || Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme == Uri.UriSchemeHttps
           && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(absolute.UserInfo);

    /// <summary>
    /// Image sources only on img and source (source only in a picture), each address allowed; the
    /// keyword attributes only with their keywords; sizes only as lengths and media conditions.
    /// </summary>
    private static void KeepOnlySafeImageAttributes(INode node)
    {
        if (node is not IElement element)
        {
            return;
        }
        var name = element.LocalName;
        var isImage = name == "img" || name == "source" && element.ParentElement?.LocalName == "picture";
        if (element.GetAttribute("src") is { } src && !(isImage && IsAllowedImageAddress(src.Trim())))
        {
            element.RemoveAttribute("src");
        }
        if (element.GetAttribute("srcset") is { } srcSet)
        {
            var kept = isImage ? FilterSrcSet(srcSet) : "";
            if (kept.Length == 0)
            {
                element.RemoveAttribute("srcset");
            }
            else
            {
                element.SetAttribute("srcset", kept);
            }
        }
        if (element.GetAttribute("sizes") is { } sizes && !(isImage && Sizes().IsMatch(sizes)))
        {
            element.RemoveAttribute("sizes");
        }
        foreach (var (attribute, (elements, values)) in Keywords)
        {
            if (element.GetAttribute(attribute) is { } value && !(elements.Contains(name) && values.Contains(value, StringComparer.OrdinalIgnoreCase)))
            {
                element.RemoveAttribute(attribute);
            }
        }
    }

    /// <summary>
    /// The srcset's allowed candidates, written out again: an address and an optional descriptor each, separated by
    /// commas. A candidate that does not read exactly so, or whose address is not allowed, is dropped.
    /// </summary>
    private static string FilterSrcSet(string srcSet)
    {
        var kept = new List<string>();
        foreach (var candidate in srcSet.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = candidate.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 1 or 2 && IsAllowedImageAddress(parts[0]) && (parts.Length == 1 || SrcSetDescriptor().IsMatch(parts[1])))
            {
                kept.Add(string.Join(' ', parts));
            }
        }
        return string.Join(", ", kept);
    }

    // Ids are needed for footnote links, but any other id could clobber the page's own elements.
    private static void KeepOnlyFootnoteIds(INode node)
    {
        if (node is IElement element && element.GetAttribute("id") is { } id && !FootnoteId().IsMatch(id))
        {
            element.RemoveAttribute("id");
        }
    }
}
