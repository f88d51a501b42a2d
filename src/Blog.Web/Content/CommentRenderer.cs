using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;

namespace Blog.Web.Content;

/// <summary>
/// Turns what a member typed into the HTML stored beside it: a small Markdown subset rendered by Markdig, then
/// cleaned by a sanitizer of its own with a narrow allowlist. Raw HTML in the source goes through the same
/// allowlist rather than being trusted. Used once, when a comment is saved; pages only ever print the result.
/// </summary>
public sealed partial class CommentRenderer
{
    /// <summary>Every link in a comment is the writer's, not the blog's: search engines and new tabs are told so.</summary>
    public const string LinkRel = "nofollow ugc noopener";

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public RenderedComment Render(string markdown)
    {
        var html = Markdown.ToHtml(markdown, _pipeline);
        var clean = _sanitizer.Sanitize(html).Trim();
        return new RenderedComment(clean, LinkPattern().Count(clean));
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
        // Runs once on the cleaned document, after the allowlist, so the one attribute we add ourselves survives
        // and no anchor escapes it (per-node post-processing misses anchors the parser re-nests).
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var anchor in e.Document.QuerySelectorAll("a"))
            {
                anchor.SetAttribute("rel", LinkRel);
            }
        };
        return sanitizer;
    }

    [GeneratedRegex("<a\\s", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();
}

/// <summary>The sanitized HTML of a comment and how many links it holds (for the hold-for-links rule).</summary>
public sealed record RenderedComment(string Html, int LinkCount);
