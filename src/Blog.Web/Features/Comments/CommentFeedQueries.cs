using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Comments;

/// <summary>The reads behind the comment feeds (see <see cref="CommentFeedsController"/>).</summary>
public sealed class CommentFeedQueries(BlogDatabase db, CommentStore store)
{
    /// <summary>The post whose comment feed is asked for, when readers can see it.</summary>
    public Task<CommentablePost?> FindPostAsync(long postId, DateTime now, CancellationToken ct) =>
        store.FindVisiblePostAsync(postId, now, ct);

    /// <summary>
    /// The newest approved comments on visible posts, for the feeds; one post's when <paramref name="postId"/> is set.
    /// Two statements rather than "@PostId IS NULL OR …", which SQLite cannot plan well for both cases: the blog's
    /// feed walks ix_comments_visible_created, a post's feed ix_comments_visible, each stopping after the limit.
    /// </summary>
    public async Task<IReadOnlyList<FeedComment>> FeedAsync(long? postId, DateTime now, int limit, CancellationToken ct)
    {
        // The blog's feed walks the newest comments and keeps those on visible posts, checking each post in the
        // narrow ix_posts_visible_by_id: a join to posts lets SQLite build a Bloom filter over the whole posts
        // table first (every row, bodies and all), which took seconds on a blog of 100,000 posts. The page's
        // rows come back in index order; the C# sort below only restates it for the caller. PostgreSQL takes no hints.
        var hint = db.Dialect.Text(new DialectSql(Sqlite: "INDEXED BY ix_posts_visible_by_id", PostgreSql: ""));
        var blogSql = $"""
            WITH newest AS MATERIALIZED (
                SELECT c.id, c.post_id, c.author_id, c.guest_name, c.guest_url, c.body_html, c.created_at, c.edited_at
                FROM comments c
                WHERE c.status = 'approved' AND c.removed_at IS NULL
                  AND EXISTS (SELECT 1 FROM posts v {hint}
                              WHERE v.id = c.post_id AND v.kind = 'post' AND v.status = 'published' AND v.published_at <= @Now)
                ORDER BY c.created_at DESC
                LIMIT @Limit
            )
            SELECT newest.id, newest.body_html, newest.created_at, newest.edited_at,
                   newest.author_id, m.display_name AS author_name, newest.guest_name, newest.guest_url,
                   p.id AS post_id, p.title AS post_title, p.slug AS post_slug, p.published_at AS post_published_at
            FROM newest
            JOIN posts p ON p.id = newest.post_id
            LEFT JOIN members m ON m.id = newest.author_id
            """;
        // One post's feed reads ix_comments_visible for that post, newest first.
        const string postSql = """
            SELECT c.id, c.body_html, c.created_at, c.edited_at,
                   c.author_id, m.display_name AS author_name, c.guest_name, c.guest_url,
                   p.id AS post_id, p.title AS post_title, p.slug AS post_slug, p.published_at AS post_published_at
            FROM comments c
            JOIN posts p ON p.id = c.post_id
            LEFT JOIN members m ON m.id = c.author_id
            WHERE c.post_id = @PostId AND c.status = 'approved' AND c.removed_at IS NULL
              AND p.kind = 'post' AND p.status = 'published' AND p.published_at <= @Now
            ORDER BY c.created_at DESC
            LIMIT @Limit
            """;
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<FeedComment>(new CommandDefinition(postId is null ? blogSql : postSql,
            new { PostId = postId, Now = now, Limit = limit }, cancellationToken: ct));
        return [.. rows.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)];
    }
}

public sealed record FeedComment
{
    public long Id { get; init; }

    public string BodyHtml { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime? EditedAt { get; init; }

    public string? AuthorId { get; init; }

    public string? AuthorName { get; init; }

    public string? GuestName { get; init; }

    public string? GuestUrl { get; init; }

    public CommentWriter Writer => CommentWriter.Of(AuthorId, AuthorName, GuestName, GuestUrl);

    public long PostId { get; init; }

    public string PostTitle { get; init; } = "";

    public string PostSlug { get; init; } = "";

    public DateTime PostPublishedAt { get; init; }
}
