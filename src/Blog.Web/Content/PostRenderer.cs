using System.Text;
using AngleSharp.Dom;
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

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
        "tr", "td", "th", "table", "br", "hr", "ul", "ol", "figure", "figcaption",
    };

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder { MaximumNestingDepth = options.Value.MaxNestingDepth }
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
    /// deeper than Markdig allows, or so pathological that rendering would take too long. Markdig cannot be
    /// cancelled, so a runaway render is left to finish on its own (bounded by the size limit) while the
    /// author gets the message at once.
    /// </summary>
    public async Task<RenderResult> RenderAsync(string? markdown, CancellationToken cancellationToken = default)
    {
        markdown ??= "";
        if (CheckLength(markdown) is { } tooLong)
        {
            return RenderResult.Failed(tooLong);
        }
        try
        {
            var body = await Task.Run(() => RenderNow(markdown), CancellationToken.None)
                .WaitAsync(options.Value.RenderTimeout, cancellationToken);
            return RenderResult.Succeeded(body);
        }
        catch (ArgumentException)
        {
            // Markdig's depth guard: quotes, lists or emphasis nested deeper than MaxNestingDepth.
            return RenderResult.Failed(
                $"The Markdown is nested too deeply (more than {options.Value.MaxNestingDepth} levels of quotes, lists or emphasis). Flatten it a little.");
        }
        catch (TimeoutException)
        {
            return RenderResult.Failed(
                "This Markdown takes too long to format (it has a very unusual structure, such as thousands of unclosed links). Simplify it and try again.");
        }
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
        if (fragment is null)
        {
            return "";
        }
        var text = new StringBuilder();
        AppendText(fragment, text);
        return CollapseWhitespace(text.ToString());
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

    private static void AppendText(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText textNode:
                    text.Append(textNode.Data);
                    break;
                case IElement element when element.ClassList.Contains("footnote-back-ref"):
                    break;
                case IElement element:
                    var block = BlockElements.Contains(element.LocalName);
                    if (block)
                    {
                        text.Append(' ');
                    }
                    AppendText(element, text);
                    if (block)
                    {
                        text.Append(' ');
                    }
                    break;
            }
        }
    }

    private static string CollapseWhitespace(string text)
    {
        var result = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>A ticked or empty box as text, so task lists survive sanitizing and read sensibly aloud.</summary>
    private sealed class TaskBoxRenderer : HtmlObjectRenderer<TaskList>
    {
        protected override void Write(HtmlRenderer renderer, TaskList obj) =>
            renderer.Write(obj.Checked ? "<span class=\"task-done\">☑</span> " : "<span class=\"task-open\">☐</span> ");
    }
}

/// <summary>Either a rendered body or the reason the Markdown was refused.</summary>
public sealed record RenderResult
{
    public RenderedBody? Body { get; init; }

    public string? Error { get; init; }

    public static RenderResult Succeeded(RenderedBody body) => new() { Body = body };

    public static RenderResult Failed(string error) => new() { Error = error };
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
