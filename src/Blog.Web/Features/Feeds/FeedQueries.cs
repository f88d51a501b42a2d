using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Feeds;

public sealed class FeedQueries(BlogDatabase db)
{
    /// <summary>How many of the newest posts a feed carries (Blogger's default).</summary>
    public const int EntryCount = 25;

    private const string Columns = """
        p.id, p.title, p.subtitle, p.slug, p.excerpt, p.body_html, p.published_at, p.updated_at,
        m.display_name AS author_name
        """;

    public async Task<IReadOnlyList<FeedEntry>> NewestAsync(DateTime now, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {Columns}
            FROM posts p
            LEFT JOIN members m ON m.id = p.author_id
            WHERE {PostSql.VisiblePost}
            ORDER BY p.published_at DESC, p.id DESC
            LIMIT @Take
            """;
        return await QueryAsync(sql, new { Now = now, Take = EntryCount }, ct);
    }

    public async Task<IReadOnlyList<FeedEntry>> NewestWithLabelAsync(long labelId, DateTime now, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {Columns}
            {PostSql.ByLabelNewestFirst}
            LIMIT @Take
            """;
        return await QueryAsync(sql, new { LabelId = labelId, Now = now, Before = db.Dialect.TimeBound(PostSet.WithLabel(labelId).UpperBound(null, now)), Take = EntryCount }, ct);
    }

    private async Task<IReadOnlyList<FeedEntry>> QueryAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var entries = (await connection.QueryAsync<FeedEntry>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
        var labels = await PostQueries.LabelLookupAsync(connection, [.. entries.Select(e => e.Id)], ct);
        return [.. entries.Select(e => e with { Labels = [.. labels[e.Id]] })];
    }
}

public sealed record FeedEntry
{
    public long Id { get; init; }

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Slug { get; init; } = "";

    public string Excerpt { get; init; } = "";

    public string BodyHtml { get; init; } = "";

    public DateTime PublishedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public string? AuthorName { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];
}
