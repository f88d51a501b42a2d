using AngleSharp.Html.Parser;
using Markdig;
using Markdig.Extensions.TaskLists;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Microsoft.Extensions.Options;

namespace Blog.Web.Content;

/// <summary>
/// Turns an author's Markdown into what is stored with the post: sanitized HTML, plain text for search and a
/// short excerpt. Runs when a post is saved (and for previews), never when a page is read.
/// </summary>
public sealed class PostRenderer(PostHtmlSanitizer sanitizer, IOptions<ContentOptions> options)
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
    public async Task<RenderResult<RenderedBody>> RenderAsync(string? markdown, CancellationToken cancellationToken = default)
    {
        markdown ??= "";
        if (CheckLength(markdown) is { } tooLong)
        {
            return new() { Error = tooLong };
        }
        return await MarkdownGuard.RenderAsync(() => RenderNow(markdown), options.Value, cancellationToken);
    }

    private RenderedBody RenderNow(string markdown)
    {
        var html = sanitizer.Sanitize(ToHtml(UnicodeText.ReplaceLoneSurrogates(markdown)));
        var text = PlainText(html);
        return new RenderedBody { Html = html, Text = text, Excerpt = Excerpt(text) };
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
}
