using System.Runtime.CompilerServices;
using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Seo;

/// <summary>
/// What the sitemap lists, a file at a time. A file holds the posts and pages, or the labels, whose ids fall in
/// one range of <c>perFile</c> ids: each file is read with one seek and at most <c>perFile</c> rows, whichever file
/// it is, and none can hold more URLs than that. The index names the ranges that hold something visible.
/// </summary>
public sealed class SitemapQueries(BlogDatabase db)
{
    // SQLite's planner needs telling to check visible posts in their narrow index; PostgreSQL takes no hints.
    private const string VisibleByIdHint = "INDEXED BY ix_posts_visible_by_id";

    private static readonly DialectSql ContentFilesSql = new(
        Sqlite: FilesSql("posts", (lower, upper) => HasContent(lower, upper, VisibleByIdHint)),
        PostgreSql: FilesSql("posts", (lower, upper) => HasContent(lower, upper, hint: "")));

    private static readonly DialectSql HasContentSql = new(
        Sqlite: $"SELECT {HasContent("@From", "@To", VisibleByIdHint)}",
        PostgreSql: $"SELECT {HasContent("@From", "@To", hint: "")}");

    private static readonly string LabelFilesSql = FilesSql("labels", HasLabels);

    private static readonly string HasLabelsSql = $"SELECT {HasLabels("@From", "@To")}";

    /// <summary>The numbers of the files of posts and pages that hold at least one visible one, in order.</summary>
    public Task<IReadOnlyList<int>> ContentFilesAsync(int perFile, DateTime now, CancellationToken ct) =>
        FilesAsync(db.Dialect.Text(ContentFilesSql), perFile, now, ct);

    /// <summary>The numbers of the files of labels that hold at least one label with a visible post, in order.</summary>
    public Task<IReadOnlyList<int>> LabelFilesAsync(int perFile, DateTime now, CancellationToken ct) =>
        FilesAsync(LabelFilesSql, perFile, now, ct);

    public Task<bool> HasContentAsync(int file, int perFile, DateTime now, CancellationToken ct) =>
        HoldsAnythingAsync(db.Dialect.Text(HasContentSql), file, perFile, now, ct);

    public Task<bool> HasLabelsAsync(int file, int perFile, DateTime now, CancellationToken ct) =>
        HoldsAnythingAsync(HasLabelsSql, file, perFile, now, ct);

    /// <summary>The visible posts and pages of file <paramref name="file"/>, read as they are written out.</summary>
    public async IAsyncEnumerable<SitemapEntry> ContentAsync(int file, int perFile, DateTime now, [EnumeratorCancellation] CancellationToken ct)
    {
        // NOT INDEXED: the id range, read in the table itself. Left to choose, SQLite answered the OR with the index of
        // visible posts by time and walked all of them for every file. PostgreSQL takes no hints.
        var hint = db.Dialect.Text(new DialectSql(Sqlite: "NOT INDEXED", PostgreSql: ""));
        var sql = $"""
            SELECT p.kind, p.slug, p.published_at, p.updated_at
            FROM posts p {hint}
            WHERE p.id > @From AND p.id <= @To AND (({PostSql.VisiblePost}) OR ({PostSql.VisiblePage}))
            ORDER BY p.id
            """;
        await using var connection = await db.OpenAsync(ct);
        await foreach (var entry in connection.QueryUnbufferedAsync<SitemapEntry>(sql, Range(file, perFile, now)).WithCancellation(ct))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// The labels of file <paramref name="file"/> that have a visible post, each with its newest post's publication
    /// (one seek in ix_post_labels_label_published per label, not a count of its posts).
    /// </summary>
    public async IAsyncEnumerable<SitemapLabel> LabelsAsync(int file, int perFile, DateTime now, [EnumeratorCancellation] CancellationToken ct)
    {
        const string sql = """
            SELECT name, newest_published_at FROM (
                SELECT l.id, l.name,
                       (SELECT MAX(pl.published_at) FROM post_labels pl WHERE pl.label_id = l.id AND pl.published_at <= @Now) AS newest_published_at
                FROM labels l
                WHERE l.id > @From AND l.id <= @To) AS file_labels
            WHERE newest_published_at IS NOT NULL
            ORDER BY id
            """;
        await using var connection = await db.OpenAsync(ct);
        await foreach (var label in connection.QueryUnbufferedAsync<SitemapLabel>(sql, Range(file, perFile, now)).WithCancellation(ct))
        {
            yield return label;
        }
    }

    /// <summary>When the home page's first page last changed: the latest edit or publication among its posts.</summary>
    public async Task<DateTime?> HomeLastModifiedAsync(DateTime now, int pageSize, CancellationToken ct)
    {
        const string sql = $"""
            SELECT MAX(CASE WHEN newest.updated_at > newest.published_at THEN newest.updated_at ELSE newest.published_at END) FROM (
                SELECT p.updated_at, p.published_at FROM posts p
                WHERE {PostSql.VisiblePost}
                ORDER BY p.published_at DESC, p.id DESC
                LIMIT @Take) newest
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(sql, new { Now = now, Take = pageSize }, cancellationToken: ct));
    }

    /// <summary>
    /// The numbers of the files of <paramref name="table"/>'s ids, <c>@PerFile</c> ids each, for which
    /// <paramref name="holdsAnything"/> (given SQL for a file's lowest and highest id) is true: one cheap test per
    /// file, not a walk over the rows.
    /// </summary>
    private static string FilesSql(string table, Func<string, string, string> holdsAnything) => $"""
        WITH RECURSIVE files(n) AS (
            SELECT 1 WHERE (SELECT MAX(id) FROM {table}) > 0
            UNION ALL
            SELECT n + 1 FROM files WHERE n * @PerFile < (SELECT MAX(id) FROM {table})
        )
        SELECT n FROM files
        WHERE {holdsAnything("(n - 1) * @PerFile", "n * @PerFile")}
        """;

    /// <summary>SQL that is true when a visible post or page has an id in (<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    private static string HasContent(string lower, string upper, string hint) => $"""
        (EXISTS (SELECT 1 FROM posts p {hint}
                 WHERE p.kind = 'post' AND p.status = 'published' AND p.id > {lower} AND p.id <= {upper} AND p.published_at <= @Now)
         OR EXISTS (SELECT 1 FROM posts p WHERE {PostSql.VisiblePage} AND p.id > {lower} AND p.id <= {upper}))
        """;

    /// <summary>SQL that is true when a label with an id in (<paramref name="lower"/>, <paramref name="upper"/>] has a visible post.</summary>
    private static string HasLabels(string lower, string upper) => $"""
        EXISTS (SELECT 1 FROM labels l JOIN post_labels pl ON pl.label_id = l.id
                WHERE l.id > {lower} AND l.id <= {upper} AND pl.published_at <= @Now)
        """;

    private async Task<IReadOnlyList<int>> FilesAsync(string sql, int perFile, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var files = await connection.QueryAsync<int>(new CommandDefinition(sql, new { PerFile = perFile, Now = now }, cancellationToken: ct));
        return files.AsList();
    }

    private async Task<bool> HoldsAnythingAsync(string sql, int file, int perFile, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, Range(file, perFile, now), cancellationToken: ct));
    }

    private static object Range(int file, int perFile, DateTime now) =>
        new { From = (long)(file - 1) * perFile, To = (long)file * perFile, Now = now };
}

public sealed record SitemapEntry
{
    /// <summary>A <see cref="PostKind"/>.</summary>
    public string Kind { get; init; } = "";

    public string Slug { get; init; } = "";

    public DateTime PublishedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}

public sealed record SitemapLabel
{
    public string Name { get; init; } = "";

    public DateTime NewestPublishedAt { get; init; }
}
