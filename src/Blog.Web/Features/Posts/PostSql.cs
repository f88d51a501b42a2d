namespace Blog.Web.Features.Posts;

/// <summary>
/// SQL shared by every reader-facing query, so "visible" means the same thing on the home page, in feeds,
/// search, the archive and the sitemap. A post is visible once it is published and its time has come; a
/// scheduled post therefore appears on its own, with no background job.
/// </summary>
public static class PostSql
{
    /// <summary>Visible posts (not pages) in a query that aliases <c>posts</c> as <c>p</c> and binds <c>@Now</c>.</summary>
    public const string VisiblePost = "p.kind = 'post' AND p.status = 'published' AND p.published_at <= @Now";

    /// <summary>Visible static pages, same aliases and parameters as <see cref="VisiblePost"/>.</summary>
    public const string VisiblePage = "p.kind = 'page' AND p.status = 'published' AND p.published_at <= @Now";

    /// <summary>
    /// The visible posts with <c>@LabelId</c> published before <c>@Before</c> (at most just after <c>@Now</c>), newest
    /// first, read through ix_post_labels_label_published. The visibility of the post itself is checked too, so a
    /// wrong copy of its publication time could hide a post but never show one.
    /// </summary>
    public const string ByLabelNewestFirst = $"""
        FROM post_labels pl
        JOIN posts p ON p.id = pl.post_id
        LEFT JOIN members m ON m.id = p.author_id
        {CoverJoin}
        WHERE pl.label_id = @LabelId AND pl.published_at < @Before AND {VisiblePost}
        ORDER BY pl.published_at DESC, pl.post_id DESC
        """;

    /// <summary>The post's cover picture, if it has one, for <see cref="CoverColumns"/>: one row by its key.</summary>
    public const string CoverJoin = "LEFT JOIN media c ON c.id = p.cover_media_id";

    /// <summary>
    /// A <see cref="CoverPicture"/>, after the post's own columns: Dapper's multi-mapping splits on <c>hash</c>
    /// (<see cref="CoverSplit"/>) and gives a null cover when the post has none. Needs <see cref="CoverJoin"/>.
    /// </summary>
    public const string CoverColumns = "c.hash, c.width, c.height, c.has_alpha, c.alt_text, c.decorative";

    public const string CoverSplit = "hash";

    /// <summary>The columns of a <see cref="PostSummary"/>; needs <c>LEFT JOIN members m ON m.id = p.author_id</c>.</summary>
    public const string SummaryColumns =
        "p.id, p.title, p.subtitle, p.slug, p.excerpt, p.published_at, p.updated_at, m.display_name AS author_name";
}
