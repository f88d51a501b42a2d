using System.Data.Common;
using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>A post or page to put straight into the database, written exactly as the editor writes one.</summary>
public sealed record SeedPost
{
    public string Kind { get; init; } = "post";

    public required string Title { get; init; }

    public string Subtitle { get; init; } = "";

    /// <summary>Defaults to a unique slug made from the title.</summary>
    public string? Slug { get; init; }

    /// <summary>Already-sanitized HTML, as the editor stores it.</summary>
    public string BodyHtml { get; init; } = "<p>A short body.</p>";

    /// <summary>Defaults to the start of the body's text.</summary>
    public string? Excerpt { get; init; }

    public string Status { get; init; } = "published";

    /// <summary>UTC; defaults to a day ago. Null with status draft leaves it unset.</summary>
    public DateTime? PublishedAt { get; init; } = DateTime.UtcNow.AddDays(-1);

    /// <summary>UTC; defaults to <see cref="PublishedAt"/>.</summary>
    public DateTime? UpdatedAt { get; init; }

    /// <summary>members.id of the author; null shows as a deleted member.</summary>
    public string? AuthorId { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public bool AllowComments { get; init; } = true;
}

/// <summary>
/// Inserts posts, labels and the full-text row with plain SQL, per the posts schema (0003 in db/sqlite and db/postgresql):
/// the fastest way to give reading and comment tests something to read or comment on.
/// </summary>
public static class PostSeeder
{
    public static (long Id, string Slug) Insert(BlogAppFactory app, SeedPost post) => InsertMany(app, [post])[0];

    /// <summary>Many posts in one transaction: a blog large enough to tell a cost that grows with it from one that does not.</summary>
    public static IReadOnlyList<(long Id, string Slug)> InsertMany(BlogAppFactory app, IEnumerable<SeedPost> posts)
    {
        // The database only exists once the app has started and migrated it.
        _ = app.Services;
        var inserted = new List<(long Id, string Slug)>();
        using (var connection = app.OpenDatabase())
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var post in posts)
            {
                inserted.Add(Insert(connection, transaction, post));
            }
            transaction.Commit();
        }
        app.ForgetCachedPages();
        return inserted;
    }

    private static (long Id, string Slug) Insert(DbConnection connection, DbTransaction? transaction, SeedPost post)
    {
        var slug = post.Slug ?? Slugify(post.Title) + "-" + Guid.NewGuid().ToString("N")[..8];
        var bodyText = PlainText(post.BodyHtml);
        var published = post.PublishedAt;
        var updated = post.UpdatedAt ?? published ?? DateTime.UtcNow;
        var id = connection.ExecuteScalar<long>("""
            INSERT INTO posts (kind, author_id, title, subtitle, slug, body_markdown, body_html, excerpt, status,
                               published_at, allow_comments, created_at, updated_at)
            VALUES (@Kind, @Author, @Title, @Subtitle, @Slug, @Markdown, @Html, @Excerpt, @Status, @Published, @AllowComments, @Updated, @Updated)
            RETURNING id
            """,
            new
            {
                post.Kind, Author = post.AuthorId, post.Title, post.Subtitle, Slug = slug, Markdown = bodyText, Html = post.BodyHtml,
                Excerpt = post.Excerpt ?? (bodyText.Length > 200 ? bodyText[..200] : bodyText), post.Status,
                Published = published is { } time ? TestDatabase.StoredTime(time) : null, post.AllowComments,
                Updated = TestDatabase.StoredTime(updated),
            },
            transaction);
        foreach (var label in post.Labels)
        {
            // Not ON CONFLICT: on PostgreSQL that takes an id from the sequence even when the label exists, and tests
            // of the sitemap's label files count on ids without gaps. Names match in any case, as the schema's
            // uniqueness does (lower(): PostgreSQL compares citext with a text parameter case-sensitively).
            connection.Execute(
                "INSERT INTO labels (name) SELECT @Name WHERE NOT EXISTS (SELECT 1 FROM labels WHERE lower(name) = lower(@Name))", new { Name = label }, transaction);
            connection.Execute("""
                INSERT INTO post_labels (post_id, label_id) SELECT @Post, id FROM labels WHERE lower(name) = lower(@Name)
                """, new { Post = id, Name = label }, transaction);
        }
        connection.Execute(
            Dialect.Of(connection).Text(SearchRowInsert),
            new { Id = id, post.Title, post.Subtitle, Body = bodyText, Labels = string.Join(' ', post.Labels) },
            transaction);
        return (id, slug);
    }

    /// <summary>The search row the editor writes with a post: FTS5's table on SQLite, a tsvector-backed table on PostgreSQL.</summary>
    private static readonly DialectSql SearchRowInsert = new(
        Sqlite: "INSERT INTO posts_fts (rowid, title, subtitle, body_text, labels) VALUES (@Id, @Title, @Subtitle, @Body, @Labels)",
        PostgreSql: "INSERT INTO posts_search (post_id, title, subtitle, body_text, labels) VALUES (@Id, @Title, @Subtitle, @Body, @Labels)");

    /// <summary>Records that the post once lived at <paramref name="oldSlug"/>, as renaming a published post does.</summary>
    public static void AddSlugRedirect(BlogAppFactory app, string kind, string oldSlug, long postId)
    {
        using var connection = app.OpenDatabase();
        connection.Execute("INSERT INTO post_slug_redirects (kind, old_slug, post_id) VALUES (@Kind, @Old, @Post)",
            new { Kind = kind, Old = oldSlug, Post = postId });
    }

    /// <summary>The body as search indexes it: text only, with blocks kept apart by spaces.</summary>
    private static string PlainText(string html)
    {
        var text = BlogClient.Parse(html.Replace("<", " <", StringComparison.Ordinal)).Body?.TextContent ?? "";
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Slugify(string title)
    {
        var chars = title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "post" : slug[..Math.Min(slug.Length, 40)];
    }
}
