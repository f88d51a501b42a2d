using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Seo;

public sealed class SitemapQueries(SqliteConnectionFactory db)
{
    /// <summary>Every visible post and page: enough to build its address and lastmod.</summary>
    public async Task<IReadOnlyList<SitemapEntry>> EntriesAsync(DateTime now, CancellationToken ct)
    {
        const string sql = $"""
            SELECT p.kind, p.slug, p.published_at, p.updated_at
            FROM posts p
            WHERE ({PostSql.VisiblePost}) OR ({PostSql.VisiblePage})
            ORDER BY p.published_at DESC, p.id DESC
            """;
        await using var connection = await db.OpenAsync(ct);
        var entries = await connection.QueryAsync<SitemapEntry>(new CommandDefinition(sql, new { Now = now }, cancellationToken: ct));
        return entries.AsList();
    }
}

public sealed record SitemapEntry
{
    public string Kind { get; init; } = "";

    public string Slug { get; init; } = "";

    public DateTime PublishedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}
