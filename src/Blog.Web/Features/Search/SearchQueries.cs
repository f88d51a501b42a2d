using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Search;

public sealed class SearchQueries(SqliteConnectionFactory db)
{
    /// <summary>
    /// Visible posts matching <paramref name="ftsQuery"/> (built by <see cref="FtsQuery"/>), best match first.
    /// posts_fts may hold drafts and scheduled posts too, so the join to posts decides what readers may see.
    /// </summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string ftsQuery, DateTime now, int skip, int take, CancellationToken ct)
    {
        // Ranking needs every match, so the ranked page is found first from narrow data only (the search index and
        // ix_posts_visible_by_id); titles and snippets are then made for the page's rows alone, not for every match.
        const string sql = $"""
            WITH hits AS MATERIALIZED (
                SELECT posts_fts.rowid AS id, bm25(posts_fts) AS score, p.published_at
                FROM posts_fts
                JOIN posts p INDEXED BY ix_posts_visible_by_id ON p.id = posts_fts.rowid
                WHERE posts_fts MATCH @Query AND {PostSql.VisiblePost}
                ORDER BY score, p.published_at DESC
                LIMIT @Take OFFSET @Skip
            )
            SELECT p.id, p.title, p.subtitle, p.slug, p.published_at,
                   snippet(posts_fts, -1, @Open, @Close, '…', 24) AS snippet
            FROM hits
            JOIN posts_fts ON posts_fts.rowid = hits.id
            JOIN posts p ON p.id = hits.id
            WHERE posts_fts MATCH @Query
            ORDER BY hits.score, hits.published_at DESC
            """;
        await using var connection = await db.OpenAsync(ct);
        var hits = await connection.QueryAsync<SearchHit>(new CommandDefinition(sql, new
        {
            Query = ftsQuery,
            Now = now,
            Open = SnippetHighlighter.Open,
            Close = SnippetHighlighter.Close,
            Take = take,
            Skip = skip,
        }, cancellationToken: ct));
        return hits.AsList();
    }
}

public sealed record SearchHit
{
    public long Id { get; init; }

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Slug { get; init; } = "";

    public DateTime PublishedAt { get; init; }

    /// <summary>Raw snippet text with private-use match markers; see <see cref="SnippetHighlighter"/>.</summary>
    public string Snippet { get; init; } = "";
}
