using Markdig;

namespace Blog.Web.Content;

/// <summary>
/// What every Markdown field shares (post and page bodies, the editor's preview, comments and their edits): the
/// nesting limit Markdig parses with, the time limit, and the one place where Markdown that cannot be formatted
/// becomes a message for its writer. Markdig enforces its nesting limit by throwing, from the parser or from the
/// HTML writer, and a pathological input can take seconds; neither is a bug, so neither may become a 500 that
/// loses what was typed.
/// </summary>
internal static class MarkdownGuard
{
    /// <summary>A pipeline builder that stops at the configured depth instead of recursing without bound.</summary>
    public static MarkdownPipelineBuilder NewPipeline(ContentOptions options) =>
        new() { MaximumNestingDepth = options.MaxNestingDepth };

    /// <summary>
    /// Runs <paramref name="render"/> on the thread pool and gives back what it made, or why the Markdown is refused.
    /// Markdig cannot be cancelled, so a runaway render is left to finish on its own (bounded by the length limits)
    /// while the writer gets the message at once.
    /// </summary>
    public static async Task<RenderResult<T>> RenderAsync<T>(Func<T> render, ContentOptions options, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var rendered = await Task.Run(render, CancellationToken.None).WaitAsync(options.RenderTimeout, cancellationToken);
            return new() { Body = rendered };
        }
        catch (ArgumentException ex) when (IsMarkdigDepthLimit(ex))
        {
            return new() { Error = TooDeep(options.MaxNestingDepth) };
        }
        catch (TimeoutException)
        {
            return new()
            {
                Error = "This Markdown takes too long to format (it has a very unusual structure, such as thousands of unclosed links). Simplify it and try again.",
            };
        }
    }

    public static string TooDeep(int depth) =>
        $"The Markdown is nested too deeply (more than {depth} levels of quotes, lists, brackets or emphasis, or a very large table). Flatten it a little.";

    // Markdig's only guard against deep input is an ArgumentException of its own; one from anywhere else is a bug.
    private static bool IsMarkdigDepthLimit(ArgumentException ex) =>
        ex.TargetSite?.DeclaringType?.Assembly == typeof(Markdown).Assembly;
}

/// <summary>Either what a renderer made of some Markdown, or the reason it was refused, in words for the writer.</summary>
public sealed record RenderResult<TBody>
    where TBody : class
{
    public TBody? Body { get; init; }

    public string? Error { get; init; }
}
