using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Labels;

public sealed class LabelQueries(SqliteConnectionFactory db)
{
    /// <summary>
    /// The visible posts with <c>@LabelId</c>, newest first, read through ix_post_labels_label_published. The
    /// visibility of the post itself is checked too, so a wrong copy could hide a post but never show one.
    /// </summary>
    public const string ByLabelNewestFirst = $"""
        FROM post_labels pl
        JOIN posts p ON p.id = pl.post_id
        LEFT JOIN members m ON m.id = p.author_id
        WHERE pl.label_id = @LabelId AND pl.published_at <= @Now AND {PostSql.VisiblePost}
        ORDER BY pl.published_at DESC, pl.post_id DESC
        """;

    /// <summary>The label as the author spelled it (names compare case-insensitively); null when unknown.</summary>
    /// <remarks>
    /// <paramref name="name"/> comes from a path segment, where routing decodes everything except %2F (so a label
    /// with a slash would never be found); it is the one escape left to undo here.
    /// </remarks>
    public async Task<LabelRow?> FindAsync(string name, CancellationToken ct)
    {
        const string sql = "SELECT l.id, l.name FROM labels l WHERE l.name = @Name";
        name = name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LabelRow>(new CommandDefinition(sql, new { Name = name }, cancellationToken: ct));
    }

    /// <summary>
    /// Visible posts with the label, newest first, with their labels and comment counts (three queries in all). The
    /// order comes from post_labels' own copy of published_at (<see cref="ByLabelNewestFirst"/>), so a page reads
    /// LIMIT rows of the label's index whether the label has five posts or fifty thousand.
    /// </summary>
    public async Task<IReadOnlyList<PostSummary>> PostsAsync(long labelId, DateTime now, int skip, int take, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {PostSql.SummaryColumns}
            {ByLabelNewestFirst}
            LIMIT @Take OFFSET @Skip
            """;
        await using var connection = await db.OpenAsync(ct);
        var posts = await connection.QueryAsync<PostSummary>(
            new CommandDefinition(sql, new { LabelId = labelId, Now = now, Take = take, Skip = skip }, cancellationToken: ct));
        return await PostQueries.ForListAsync(connection, posts.AsList(), ct);
    }

    /// <summary>Every label that has at least one visible post, with how many, alphabetically.</summary>
    public async Task<IReadOnlyList<LabelCount>> CountsAsync(DateTime now, CancellationToken ct)
    {
        const string sql = $"""
            SELECT l.name, COUNT(*) AS post_count, MAX(MAX(p.updated_at, p.published_at)) AS last_updated_at
            FROM labels l
            JOIN post_labels pl ON pl.label_id = l.id
            JOIN posts p ON p.id = pl.post_id
            WHERE {PostSql.VisiblePost}
            GROUP BY l.id, l.name
            ORDER BY l.name COLLATE NOCASE
            """;
        await using var connection = await db.OpenAsync(ct);
        var counts = await connection.QueryAsync<LabelCount>(new CommandDefinition(sql, new { Now = now }, cancellationToken: ct));
        return counts.AsList();
    }
}

public sealed record LabelRow
{
    public long Id { get; init; }

    public string Name { get; init; } = "";
}

public sealed record LabelCount
{
    public string Name { get; init; } = "";

    public int PostCount { get; init; }

    /// <summary>When the newest change to any visible post with this label happened (the sitemap's lastmod).</summary>
    public DateTime LastUpdatedAt { get; init; }
}
