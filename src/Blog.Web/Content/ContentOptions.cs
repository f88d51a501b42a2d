namespace Blog.Web.Content;

/// <summary>The <c>Blog:Content</c> section: limits on the Markdown a writer may submit.</summary>
public sealed class ContentOptions
{
    public const string SectionName = "Blog:Content";

    /// <summary>The longest body, in characters, a post or page may have (about 40,000 words by default).</summary>
    [System.ComponentModel.DataAnnotations.Range(1_000, 5_000_000)]
    public int MaxBodyLength { get; set; } = 200_000;

    /// <summary>How deeply quotes, lists, brackets and emphasis may nest in a post, page or comment before it is refused.</summary>
    [System.ComponentModel.DataAnnotations.Range(4, 128)]
    public int MaxNestingDepth { get; set; } = 32;

    /// <summary>How long formatting one body or comment may take before the writer is told to simplify it.</summary>
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
