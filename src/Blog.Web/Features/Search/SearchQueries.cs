using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Search;

public sealed class SearchQueries(BlogDatabase db)
{
    /// <summary>
    /// The newest <paramref name="take"/> visible posts matching all <paramref name="terms"/> (from
    /// <see cref="FtsQuery.Terms"/>) among those written before post <paramref name="beforeId"/>, newest first.
    /// The search index holds drafts and scheduled posts too, so the join to posts decides what readers may see.
    /// </summary>
    /// <remarks>
    /// Newest first, not best match first: the index hands out its matches in rowid (post id) order and stops after
    /// the page, while ranking them (bm25) needs every match, and counts each word's matches over the whole blog,
    /// every time: a common word cost a tenth of a second and more on a blog of 100,000 posts, and grew with it.
    /// Titles and snippets are made for the page's rows alone.
    /// </remarks>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(IReadOnlyList<string> terms, DateTime now, long beforeId, int take, CancellationToken ct)
    {
        // FTS5 matches through its virtual table and makes the snippet from the best column. PostgreSQL matches the
        // GIN-indexed tsvector and takes the snippet from the body (ts_headline), whose "<" is swapped for a stand-in
        // first: ts_headline drops whatever its parser reads as an HTML tag, and a post's text may quote one.
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: $"""
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
                """,
            PostgreSql: $"""
                WITH q AS MATERIALIZED (SELECT to_tsquery('quire', @Query) AS query),
                hits AS MATERIALIZED (
                    SELECT s.post_id AS id
                    FROM posts_search s
                    JOIN posts p ON p.id = s.post_id
                    WHERE s.document @@ (SELECT query FROM q) AND s.post_id < @BeforeId AND {PostSql.VisiblePost}
                    ORDER BY s.post_id DESC
                    LIMIT @Take
                )
                SELECT p.id, p.title, p.subtitle, p.slug, p.published_at,
                       replace(ts_headline('quire', replace(s.body_text, '<', @LessThan), (SELECT query FROM q), @Headline), @LessThan, '<') AS snippet
                FROM hits
                JOIN posts_search s ON s.post_id = hits.id
                JOIN posts p ON p.id = hits.id
                ORDER BY hits.id DESC
                """));
        await using var connection = await db.OpenAsync(ct);
        var hits = await connection.QueryAsync<SearchHit>(new CommandDefinition(sql, new
        {
            Query = QueryText(terms),
            Now = now,
            Open = SnippetHighlighter.Open,
            Close = SnippetHighlighter.Close,
            LessThan = LessThanStandIn,
            Headline = HeadlineOptions,
            BeforeId = beforeId,
            Take = take,
        }, cancellationToken: ct));
        return hits.AsList();
    }

    /// <summary>
    /// The ids of the <paramref name="take"/> visible matches written right after post <paramref name="afterId"/>,
    /// oldest first: where the page of newer results before a later page starts.
    /// </summary>
    public async Task<IReadOnlyList<long>> NewerAsync(IReadOnlyList<string> terms, DateTime now, long afterId, int take, CancellationToken ct)
    {
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: $"""
                SELECT posts_fts.rowid
                FROM posts_fts
                JOIN posts p INDEXED BY ix_posts_visible_by_id ON p.id = posts_fts.rowid
                WHERE posts_fts MATCH @Query AND posts_fts.rowid > @AfterId AND {PostSql.VisiblePost}
                ORDER BY posts_fts.rowid
                LIMIT @Take
                """,
            PostgreSql: $"""
                SELECT s.post_id
                FROM posts_search s
                JOIN posts p ON p.id = s.post_id
                WHERE s.document @@ to_tsquery('quire', @Query) AND s.post_id > @AfterId AND {PostSql.VisiblePost}
                ORDER BY s.post_id
                LIMIT @Take
                """));
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql,
            new { Query = QueryText(terms), Now = now, AfterId = afterId, Take = take }, cancellationToken: ct));
        return ids.AsList();
    }

    /// <summary>A private-use character no post text holds in practice, standing for "&lt;" while ts_headline runs.</summary>
    private const string LessThanStandIn = "\uE002";

    /// <summary>ts_headline's counterpart of snippet(…, 24): about 24 words around the first match, marked as FTS5 marks them.</summary>
    private static readonly string HeadlineOptions =
        $"StartSel={SnippetHighlighter.Open}, StopSel={SnippetHighlighter.Close}, MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=1, FragmentDelimiter=\" … \"";

    private string QueryText(IReadOnlyList<string> terms) =>
        db.Engine == DatabaseEngine.PostgreSql ? FtsQuery.ForTsQuery(terms) : FtsQuery.ForFts5(terms);
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
