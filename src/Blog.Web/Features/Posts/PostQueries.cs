using System.Data.Common;
using Blog.Web.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Features.Posts;

/// <summary>What readers see of posts and pages. Every query filters to visible rows (see <see cref="PostSql"/>).</summary>
public sealed class PostQueries(BlogDatabase db)
{
    /// <summary>
    /// The newest <paramref name="take"/> visible posts of <paramref name="set"/> published before
    /// <paramref name="before"/> (null: from the newest), newest first, with their labels and comment counts. Read
    /// from an index starting at that moment, so an old page costs what the first one does; the bound never passes
    /// <paramref name="now"/>, so a scheduled post stays out (<see cref="PostSet.UpperBound"/>).
    /// </summary>
    public async Task<IReadOnlyList<PostSummary>> ListAsync(PostSet set, DateTime? before, DateTime now, int take, CancellationToken ct)
    {
        const string inRange = $"""
            SELECT {PostSql.SummaryColumns}, {PostSql.CoverColumns}
            FROM posts p
            LEFT JOIN members m ON m.id = p.author_id
            {PostSql.CoverJoin}
            WHERE p.kind = 'post' AND p.status = 'published' AND p.published_at >= @From AND p.published_at < @Before
            ORDER BY p.published_at DESC, p.id DESC
            LIMIT @Take
            """;
        const string withLabel = $"""
            SELECT {PostSql.SummaryColumns}, {PostSql.CoverColumns}
            {PostSql.ByLabelNewestFirst}
            LIMIT @Take
            """;
        await using var connection = await db.OpenAsync(ct);
        var posts = await connection.QueryAsync<PostSummary, CoverPicture?, PostSummary>(new CommandDefinition(set.LabelId is null ? inRange : withLabel,
            new { From = db.Dialect.TimeBound(set.From), Before = db.Dialect.TimeBound(set.UpperBound(before, now)), set.LabelId, Now = now, Take = take },
            cancellationToken: ct), (post, cover) => post with { Cover = cover }, PostSql.CoverSplit);
        return await ForListAsync(connection, posts.AsList(), ct);
    }

    /// <summary>
    /// The publication times of the <paramref name="take"/> visible posts of <paramref name="set"/> published right
    /// after <paramref name="after"/>, oldest first: where the page before an older page starts.
    /// </summary>
    public async Task<IReadOnlyList<DateTime>> NewerAsync(PostSet set, DateTime after, DateTime now, int take, CancellationToken ct)
    {
        const string inRange = """
            SELECT p.published_at
            FROM posts p
            WHERE p.kind = 'post' AND p.status = 'published' AND p.published_at > @After AND p.published_at < @Before
            ORDER BY p.published_at, p.id
            LIMIT @Take
            """;
        const string withLabel = """
            SELECT pl.published_at
            FROM post_labels pl
            WHERE pl.label_id = @LabelId AND pl.published_at > @After AND pl.published_at < @Before
            ORDER BY pl.published_at, pl.post_id
            LIMIT @Take
            """;
        await using var connection = await db.OpenAsync(ct);
        var times = await connection.QueryAsync<DateTime>(new CommandDefinition(set.LabelId is null ? inRange : withLabel,
            new { After = db.Dialect.TimeBound(after), Before = db.Dialect.TimeBound(set.UpperBound(null, now)), set.LabelId, Take = take }, cancellationToken: ct));
        return [.. times];
    }

    /// <summary>A visible post or page by its current slug; null when unknown, a draft or scheduled.</summary>
    public async Task<PostDetail?> FindAsync(string kind, string slug, DateTime now, CancellationToken ct)
    {
        const string sql = $"""
            SELECT p.id, p.kind, p.title, p.subtitle, p.slug, p.body_html, p.excerpt, p.published_at, p.updated_at,
                   p.allow_comments, m.display_name AS author_name, {PostSql.CoverColumns}
            FROM posts p
            LEFT JOIN members m ON m.id = p.author_id
            {PostSql.CoverJoin}
            WHERE p.kind = @Kind AND p.slug = @Slug AND p.status = 'published' AND p.published_at <= @Now
            """;
        await using var connection = await db.OpenAsync(ct);
        var post = (await connection.QueryAsync<PostDetail, CoverPicture?, PostDetail>(
            new CommandDefinition(sql, new { Kind = kind, Slug = slug, Now = now }, cancellationToken: ct),
            (found, cover) => found with { Cover = cover }, PostSql.CoverSplit)).SingleOrDefault();
        if (post is null)
        {
            return null;
        }
        var labels = await LabelsOfAsync(connection, [post.Id], ct);
        return post with { Labels = [.. labels.Select(l => l.Name)] };
    }

    /// <summary>The current slug of a visible post that once lived at <paramref name="oldSlug"/>, if any.</summary>
    public async Task<PostSummary?> FindRedirectAsync(string kind, string oldSlug, DateTime now, CancellationToken ct)
    {
        const string sql = """
            SELECT p.id, p.title, p.slug, p.published_at, p.updated_at
            FROM post_slug_redirects r
            JOIN posts p ON p.id = r.post_id
            WHERE r.kind = @Kind AND r.old_slug = @OldSlug
              AND p.kind = @Kind AND p.status = 'published' AND p.published_at <= @Now
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PostSummary>(
            new CommandDefinition(sql, new { Kind = kind, OldSlug = oldSlug, Now = now }, cancellationToken: ct));
    }

    /// <summary>Visible static pages for the site navigation, in title order.</summary>
    public async Task<IReadOnlyList<PageLink>> PagesAsync(DateTime now, CancellationToken ct)
    {
        // Alphabetical whatever the case: SQLite's NOCASE (ASCII), and lower() on PostgreSQL.
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: $"""
                SELECT p.title, p.slug
                FROM posts p
                WHERE {PostSql.VisiblePage}
                ORDER BY p.title COLLATE NOCASE, p.id
                """,
            PostgreSql: $"""
                SELECT p.title, p.slug
                FROM posts p
                WHERE {PostSql.VisiblePage}
                ORDER BY lower(p.title), p.id
                """));
        await using var connection = await db.OpenAsync(ct);
        var pages = await connection.QueryAsync<PageLink>(new CommandDefinition(sql, new { Now = now }, cancellationToken: ct));
        return pages.AsList();
    }

    /// <summary>
    /// Fills in what a list (home, label, archive) shows of each post besides its own row: its labels and its
    /// comment count, with one query each whatever the page size (no N+1).
    /// </summary>
    public static async Task<IReadOnlyList<PostSummary>> ForListAsync(
        DbConnection connection, List<PostSummary> posts, CancellationToken ct)
    {
        if (posts.Count == 0)
        {
            return posts;
        }
        long[] ids = [.. posts.Select(p => p.Id)];
        var labels = await LabelLookupAsync(connection, ids, ct);
        var comments = await CommentCountsAsync(connection, ids, ct);
        return [.. posts.Select(p => p with { Labels = [.. labels[p.Id]], CommentCount = comments.GetValueOrDefault(p.Id) })];
    }

    /// <summary>
    /// Visible comments per post (approved, not removed: what the post's comment section counts), read from the
    /// ix_comments_visible index alone. Posts without comments have no entry.
    /// </summary>
    private static async Task<Dictionary<long, int>> CommentCountsAsync(DbConnection connection, long[] postIds, CancellationToken ct)
    {
        var sql = Dialect.Of(connection).Text(new DialectSql(
            Sqlite: """
                SELECT c.post_id, COUNT(*) AS comment_count
                FROM comments c
                WHERE c.post_id IN @PostIds AND c.status = 'approved' AND c.removed_at IS NULL
                GROUP BY c.post_id
                """,
            PostgreSql: """
                SELECT c.post_id, COUNT(*) AS comment_count
                FROM comments c
                WHERE c.post_id = ANY(@PostIds) AND c.status = 'approved' AND c.removed_at IS NULL
                GROUP BY c.post_id
                """));
        var counts = await connection.QueryAsync<PostCommentCount>(new CommandDefinition(sql, new { PostIds = postIds }, cancellationToken: ct));
        return counts.ToDictionary(c => c.PostId, c => c.CommentCount);
    }

    /// <summary>The label names of many posts at once, alphabetically per post.</summary>
    public static async Task<ILookup<long, string>> LabelLookupAsync(DbConnection connection, long[] postIds, CancellationToken ct) =>
        postIds.Length == 0
            ? Array.Empty<PostLabel>().ToLookup(l => l.PostId, l => l.Name)
            : (await LabelsOfAsync(connection, postIds, ct)).ToLookup(l => l.PostId, l => l.Name);

    private static async Task<IEnumerable<PostLabel>> LabelsOfAsync(DbConnection connection, long[] postIds, CancellationToken ct)
    {
        // labels.name is NOCASE on SQLite and citext on PostgreSQL: both order it ignoring case.
        var sql = Dialect.Of(connection).Text(new DialectSql(
            Sqlite: """
                SELECT pl.post_id, l.name
                FROM post_labels pl
                JOIN labels l ON l.id = pl.label_id
                WHERE pl.post_id IN @PostIds
                ORDER BY l.name COLLATE NOCASE
                """,
            PostgreSql: """
                SELECT pl.post_id, l.name
                FROM post_labels pl
                JOIN labels l ON l.id = pl.label_id
                WHERE pl.post_id = ANY(@PostIds)
                ORDER BY l.name
                """));
        return await connection.QueryAsync<PostLabel>(new CommandDefinition(sql, new { PostIds = postIds }, cancellationToken: ct));
    }
}
