using AngleSharp.Html.Parser;
using Markdig;
using Markdig.Extensions.TaskLists;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Blog.Web.Features.Media;
using Microsoft.Extensions.Options;

namespace Blog.Web.Content;

/// <summary>
/// Turns an author's Markdown into what is stored with the post: sanitized HTML, plain text for search and a
/// short excerpt. Runs when a post is saved (and for previews), never when a page is read: that is also when the
/// library pictures a body shows are looked up and written out as responsive markup.
/// </summary>
/// <param name="pictures">The library; without it (a renderer built by hand) media images stay plain images.</param>
public sealed class PostRenderer(PostHtmlSanitizer sanitizer, IOptions<ContentOptions> options, MediaQueries? pictures = null)
{
    public const int ExcerptLength = 200;

    private static readonly HtmlParser Parser = new();

    private readonly MarkdownPipeline _pipeline = MarkdownGuard.NewPipeline(options.Value)
        .UsePipeTables()
        .UseAutoLinks()
        .UseTaskLists()
        .UseFootnotes()
        .Build();

    public int MaxBodyLength => options.Value.MaxBodyLength;

    /// <summary>The message shown when a body is over the limit, or null when it fits.</summary>
    public string? CheckLength(string? markdown) =>
        (markdown?.Length ?? 0) > MaxBodyLength
            ? $"The body is {markdown!.Length:N0} characters long; the limit is {MaxBodyLength:N0}. Split it into two posts or shorten it."
            : null;

    /// <summary>
    /// Renders <paramref name="markdown"/>, or says in plain words why it cannot be: over the size limit, nested
    /// deeper than Markdig allows, or so pathological that rendering would take too long (see <see cref="MarkdownGuard"/>).
    /// </summary>
    public Task<RenderResult<RenderedBody>> RenderAsync(string? markdown, CancellationToken cancellationToken = default) =>
        RenderAsync(markdown, hasCover: false, cancellationToken);

    /// <param name="hasCover">
    /// The post shows a cover above the body: then the cover, not the body's first picture, is what the first
    /// screen waits for.
    /// </param>
    public async Task<RenderResult<RenderedBody>> RenderAsync(string? markdown, bool hasCover, CancellationToken cancellationToken)
    {
        markdown ??= "";
        if (CheckLength(markdown) is { } tooLong)
        {
            return new() { Error = tooLong };
        }
        // One read for every picture the body may show, before rendering, so the render itself stays synchronous.
        var hashes = pictures is null ? [] : BodyPictures.HashesIn(markdown);
        IReadOnlyList<MediaPicture> known = hashes.Count == 0 ? [] : await pictures!.FindByHashesAsync(hashes, cancellationToken);
        return await MarkdownGuard.RenderAsync(() => RenderNow(markdown, known, hashes, hasCover), options.Value, cancellationToken);
    }

    /// <summary>
    /// Stores a body written in HTML (an imported post, and its later edits): the same sanitizer and picture markup
    /// as a Markdown body, with <see cref="RenderedBody.SanitizerRemovals"/> saying how much of the HTML as written
    /// the allowlist took out (elements and attributes), so an import can report the posts it changed.
    /// </summary>
    public async Task<RenderResult<RenderedBody>> RenderHtmlAsync(string? html, bool hasCover, CancellationToken cancellationToken)
    {
        html ??= "";
        if (CheckLength(html) is { } tooLong)
        {
            return new() { Error = tooLong };
        }
        var hashes = pictures is null ? [] : BodyPictures.HashesIn(html);
        IReadOnlyList<MediaPicture> known = hashes.Count == 0 ? [] : await pictures!.FindByHashesAsync(hashes, cancellationToken);
        return await MarkdownGuard.RenderAsync(() => RenderHtmlNow(html, known, hashes, hasCover), options.Value, cancellationToken);
    }

    private RenderedBody RenderHtmlNow(string html, IReadOnlyList<MediaPicture> known, IReadOnlyCollection<string> lookedUp, bool hasCover)
    {
        // Sanitized once as written, to count what the allowlist removes; the picture markup added after that is
        // ours, and the second pass only confirms it.
        var written = UnicodeText.ReplaceLoneSurrogates(html);
        var clean = sanitizer.Sanitize(written);
        var removals = MarkupCount.Removed(written, clean);
        var (withPictures, pictureIds) = BodyPictures.Replace(clean, known, lookedUp, hasCover);
        var stored = lookedUp.Count == 0 ? clean : sanitizer.Sanitize(withPictures);
        var text = PlainText(stored);
        return new RenderedBody { Html = stored, Text = text, Excerpt = Excerpt(text), PictureIds = pictureIds, SanitizerRemovals = removals };
    }

    private RenderedBody RenderNow(string markdown, IReadOnlyList<MediaPicture> known, IReadOnlyCollection<string> lookedUp, bool hasCover)
    {
        var (withPictures, pictureIds) = BodyPictures.Replace(ToHtml(UnicodeText.ReplaceLoneSurrogates(markdown)), known, lookedUp, hasCover);
        var html = sanitizer.Sanitize(withPictures);
        var text = PlainText(html);
        return new RenderedBody { Html = html, Text = text, Excerpt = Excerpt(text), PictureIds = pictureIds };
    }

    private string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, _pipeline);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        // Markdig draws task-list boxes as <input> elements, which the post allowlist (rightly) removes.
        renderer.ObjectRenderers.Replace<HtmlTaskListRenderer>(new TaskBoxRenderer());
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>The words a reader sees, one space between blocks, for search and excerpts.</summary>
    public static string PlainText(string html)
    {
        var fragment = Parser.ParseDocument("<body>" + html + "</body>").Body;
        return fragment is null ? "" : VisibleText.Of(fragment);
    }

    /// <summary>The start of the text, cut at a word boundary near <see cref="ExcerptLength"/> characters.</summary>
    public static string Excerpt(string text, int length = ExcerptLength)
    {
        if (text.Length <= length)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', length);
        var head = cut > length / 2 ? text[..cut] : text[..length];
        return head.TrimEnd(' ', ',', ';', ':', '.', '-') + "…";
    }

    /// <summary>A ticked or empty box as text, so task lists survive sanitizing and read sensibly aloud.</summary>
    private sealed class TaskBoxRenderer : HtmlObjectRenderer<TaskList>
    {
        protected override void Write(HtmlRenderer renderer, TaskList obj) =>
            renderer.Write(obj.Checked ? "<span class=\"task-done\">☑</span> " : "<span class=\"task-open\">☐</span> ");
    }
}

/// <summary>What is stored from one Markdown body.</summary>
public sealed record RenderedBody
{
    /// <summary>Sanitized HTML, safe to write into a page as it is.</summary>
    public required string Html { get; init; }

    /// <summary>The body as plain text (for the search index).</summary>
    public required string Text { get; init; }

    /// <summary>The first ~200 characters of the text, ending on a word.</summary>
    public required string Excerpt { get; init; }

    /// <summary>The library pictures the body shows (for post_media: where each picture is used).</summary>
    public IReadOnlyList<long> PictureIds { get; init; } = [];

    /// <summary>For an HTML body: the elements and attributes the sanitizer removed from it (0 for Markdown).</summary>
    public int SanitizerRemovals { get; init; }
}

/// <summary>Counts the markup one HTML text has and another lacks: what a sanitizer took out.</summary>
internal static class MarkupCount
{
    private static readonly HtmlParser Parser = new();

    /// <summary>
    /// Elements and attributes of <paramref name="before"/> missing from <paramref name="after"/>, counted per
    /// element name and per element-attribute pair (so a moved or re-nested element is not a removal).
    /// </summary>
    public static int Removed(string before, string after)
    {
        var had = Tally(before);
        var kept = Tally(after);
        return had.Sum(entry => Math.Max(0, entry.Value - kept.GetValueOrDefault(entry.Key)));
    }

    private static Dictionary<string, int> Tally(string html)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var body = Parser.ParseDocument("<body>" + html + "</body>").Body;
        foreach (var element in body?.QuerySelectorAll("*") ?? Enumerable.Empty<AngleSharp.Dom.IElement>())
        {
            Add(counts, element.LocalName);
            foreach (var attribute in element.Attributes)
            {
                Add(counts, element.LocalName + "@" + attribute.Name);
            }
        }
        return counts;
    }

    private static void Add(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
