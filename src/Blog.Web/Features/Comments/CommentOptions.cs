using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Features.Comments;

/// <summary>
/// The <c>Blog:Comments</c> configuration section: limits that apply to every comment, set by whoever runs the blog
/// and read at start. The rules the owner changes at run time are <see cref="Settings.CommentSettings"/>.
/// </summary>
public sealed class CommentOptions
{
    public const string SectionName = "Blog:Comments";

    /// <summary>Deepest reply level (0 is a top-level comment); a reply below it attaches at this level.</summary>
    [Range(0, 20)]
    public int MaxDepth { get; set; } = 3;

    /// <summary>How long after posting a writer may still edit their comment.</summary>
    [Range(0, 10_080)]
    public int EditWindowMinutes { get; set; } = 15;

    [Range(1, 100_000)]
    public int MaxLength { get; set; } = 10_000;

    /// <summary>Comments one member may post in any minute.</summary>
    [Range(1, 10_000)]
    public int PerMinute { get; set; } = 5;

    /// <summary>Top-level comments per page under a post.</summary>
    [Range(1, 1_000)]
    public int PageSize { get; set; } = 50;

    [Range(1, 500)]
    public int FeedSize { get; set; } = 50;
}
