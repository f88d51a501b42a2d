using System.Globalization;
using AngleSharp;
using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
using Microsoft.Extensions.Options;

namespace Blog.Web.Content;

/// <summary>
/// Turns what a member typed into the HTML stored beside it: a small Markdown subset rendered by Markdig, then
/// cleaned by a sanitizer of its own with a narrow allowlist. Raw HTML in the source goes through the same
/// allowlist rather than being trusted. Used when a comment is saved; pages only ever print the result.
/// </summary>
public sealed class CommentRenderer(IOptions<ContentOptions> options)
{
    /// <summary>Every link in a comment is the writer's, not the blog's: search engines and new tabs are told so.</summary>
    public const string LinkRel = "nofollow ugc noopener";

    private readonly MarkdownPipeline _pipeline = MarkdownGuard.NewPipeline(options.Value)
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    /// <summary>The comment as it will be stored, or why its Markdown is refused (see <see cref="MarkdownGuard"/>).</summary>
    public Task<RenderResult<RenderedComment>> RenderAsync(string markdown, CancellationToken cancellationToken = default) =>
        MarkdownGuard.RenderAsync(() => RenderNow(markdown), options.Value, cancellationToken);

    private RenderedComment RenderNow(string markdown)
    {
        var html = Markdown.ToHtml(UnicodeText.ReplaceLoneSurrogates(markdown), _pipeline);
        string clean;
        using (var sanitized = _sanitizer.SanitizeDom(html))
        {
            clean = sanitized.Body?.ChildNodes.ToHtml(_sanitizer.OutputFormatter).Trim() ?? "";
        }
        // The rules judge the words and links readers will get, and a browser parsing the stored HTML does not
        // always rebuild the tree the sanitizer left (anchors nested in anchors come apart, for one).
        using var stored = SanitizerParser.Create().ParseDocument(clean);
        var body = stored.Body!;
        return new RenderedComment
        {
            Html = clean,
            Text = VisibleText.Of(body),
            LinkAddresses = [.. body.QuerySelectorAll("a").Select(anchor => anchor.GetAttribute("href") ?? "")],
        };
    }

    /// <summary>
    /// Only links that leave for a full address stay links. The sanitizer checks schemes of absolute addresses but
    /// lets relative ones through, and "//host" is an absolute address in disguise while "/path" would make a
    /// reader's words look like the blog's own navigation.
    /// </summary>
    internal static bool IsAllowedHref(string? href)
    {
        if (string.IsNullOrEmpty(href) || !Uri.TryCreate(href, UriKind.Absolute, out var uri))
        {
            return false;
        }
        return uri.Scheme switch
        {
            "mailto" => href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase),
            "http" or "https" => href.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase) && uri.Host.Length > 0,
            _ => false,
        };
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "a", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedClasses = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        });
        sanitizer.KeepChildNodes = true;
        sanitizer.HtmlParserFactory = SanitizerParser.Create;
        // Kept child nodes let the words inside a removed tag survive, but a script's or a style sheet's text is
        // code a browser never shows: it goes with its tag, so "<script>x</script>" leaves nothing to publish.
        sanitizer.RemovingTag += (_, e) =>
        {
            if (e.Tag.LocalName is "script" or "style")
            {
                e.Tag.TextContent = "";
            }
        };
        // Runs once on the cleaned document, after the allowlist, so the one attribute we add ourselves survives
        // and no anchor escapes it (per-node post-processing misses anchors the parser re-nests).
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var anchor in e.Document.QuerySelectorAll("a").ToList())
            {
                if (IsAllowedHref(anchor.GetAttribute("href")))
                {
                    anchor.SetAttribute("rel", LinkRel);
                }
                else
                {
                    // The words stay; only the link goes.
                    anchor.Replace([.. anchor.ChildNodes]);
                }
            }
        };
        return sanitizer;
    }
}

/// <summary>The sanitized HTML of a comment, with its words and its links as readers will get them.</summary>
public sealed record RenderedComment
{
    public required string Html { get; init; }

    /// <summary>The words a reader sees (entities decoded, markup gone), for the blocked-words rule.</summary>
    public required string Text { get; init; }

    /// <summary>Where each link goes, for the hold-for-links and blocked-words rules.</summary>
    public required IReadOnlyList<string> LinkAddresses { get; init; }

    public int LinkCount => LinkAddresses.Count;

    /// <summary>
    /// Whether a reader would see any words: markup-only input (a lone script or image tag) sanitizes to empty
    /// paragraphs, and comments allow no media, so text is all there is to show.
    /// </summary>
    public bool HasText =>
        Text.Any(c => !char.IsWhiteSpace(c) && char.GetUnicodeCategory(c) is not (UnicodeCategory.Format or UnicodeCategory.Control));
}
