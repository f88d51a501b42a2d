using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Search;

public sealed class SearchQueries(BlogDatabase db)
{
    /// <summary>
    /// The newest <paramref name="take"/> visible posts matching <paramref name="ftsQuery"/> (built by
    /// <see cref="FtsQuery"/>) among those written before post <paramref name="beforeId"/>, newest first.
    /// posts_fts may hold drafts and scheduled posts too, so the join to posts decides what readers may see.
    /// </summary>
    /// <remarks>
    /// Newest first, not best match first: the index hands out its matches in rowid (post id) order and stops after
    /// the page, while ranking them (bm25) needs every match, and counts each word's matches over the whole blog,
    /// every time: a common word cost a tenth of a second and more on a blog of 100,000 posts, and grew with it.
    /// Titles and snippets are made for the page's rows alone.
    /// </remarks>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string ftsQuery, DateTime now, long beforeId, int take, CancellationToken ct)
    {
        // SQLite only so far (FTS5). PostgreSQL: posts_search s WHERE s.document @@ websearch_to_tsquery('quire', @Query)
        // AND s.post_id < @BeforeId ORDER BY s.post_id DESC, ts_headline for the page's snippets; no planner hint.
        const string sql = $"""
            WITH hits AS MATERIALIZED (
                SELECT posts_fts.rowid AS id
                FROM posts_fts
                JOIN posts p INDEXED BY ix_posts_visible_by_id ON p.id = posts_fts.rowid
                WHERE posts_fts MATCH @Query AND posts_fts.rowid < @BeforeId AND {PostSql.VisiblePost}
                ORDER BY posts_fts.rowid DESC
                LIMIT @Take
            )
            SELECT p.id, p.title, p.subtitle, p.slug, p.published_at,
                   snippet(posts_fts, -1, @Open, @Close, '…', 24) AS snippet
            FROM hits
            JOIN posts_fts ON posts_fts.rowid = hits.id
            JOIN posts p ON p.id = hits.id
            WHERE posts_fts MATCH @Query
            ORDER BY hits.id DESC
            """;
        await using var connection = await db.OpenAsync(ct);
        var hits = await connection.QueryAsync<SearchHit>(new CommandDefinition(sql, new
        {
            Query = ftsQuery,
            Now = now,
            Open = SnippetHighlighter.Open,
            Close = SnippetHighlighter.Close,
            BeforeId = beforeId,
            Take = take,
        }, cancellationToken: ct));
        return hits.AsList();
    }

    /// <summary>
    /// The ids of the <paramref name="take"/> visible matches written right after post <paramref name="afterId"/>,
    /// oldest first: where the page of newer results before a later page starts.
    /// </summary>
    public async Task<IReadOnlyList<long>> NewerAsync(string ftsQuery, DateTime now, long afterId, int take, CancellationToken ct)
    {
        const string sql = $"""
            SELECT posts_fts.rowid
            FROM posts_fts
            JOIN posts p INDEXED BY ix_posts_visible_by_id ON p.id = posts_fts.rowid
            WHERE posts_fts MATCH @Query AND posts_fts.rowid > @AfterId AND {PostSql.VisiblePost}
            ORDER BY posts_fts.rowid
            LIMIT @Take
            """;
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql,
            new { Query = ftsQuery, Now = now, AfterId = afterId, Take = take }, cancellationToken: ct));
        return ids.AsList();
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
