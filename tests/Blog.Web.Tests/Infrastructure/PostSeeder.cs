using System.Globalization;
using Microsoft.Data.Sqlite;

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
/// Inserts posts, labels and the full-text row with plain SQL, per the posts schema (db/sqlite/0003):
/// the fastest way to give reading and comment tests something to read or comment on.
/// </summary>
public static class PostSeeder
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fffffff";

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
                inserted.Add(Insert(connection, post));
            }
            transaction.Commit();
        }
        app.ForgetCachedPages();
        return inserted;
    }

    private static (long Id, string Slug) Insert(SqliteConnection connection, SeedPost post)
    {
        var slug = post.Slug ?? Slugify(post.Title) + "-" + Guid.NewGuid().ToString("N")[..8];
        var bodyText = PlainText(post.BodyHtml);
        var published = post.PublishedAt;
        var updated = post.UpdatedAt ?? published ?? DateTime.UtcNow;
        var id = Scalar(connection, """
            INSERT INTO posts (kind, author_id, title, subtitle, slug, body_markdown, body_html, excerpt, status,
                               published_at, allow_comments, created_at, updated_at)
            VALUES ($kind, $author, $title, $subtitle, $slug, $markdown, $html, $excerpt, $status, $published, $allowComments, $created, $updated)
            RETURNING id
            """,
            ("$kind", post.Kind), ("$author", post.AuthorId), ("$title", post.Title), ("$subtitle", post.Subtitle),
            ("$slug", slug), ("$markdown", bodyText), ("$html", post.BodyHtml),
            ("$excerpt", post.Excerpt ?? (bodyText.Length > 200 ? bodyText[..200] : bodyText)), ("$status", post.Status),
            ("$published", published?.ToString(TimeFormat, CultureInfo.InvariantCulture)), ("$allowComments", post.AllowComments),
            ("$created", updated.ToString(TimeFormat, CultureInfo.InvariantCulture)),
            ("$updated", updated.ToString(TimeFormat, CultureInfo.InvariantCulture)));
        foreach (var label in post.Labels)
        {
            Scalar(connection, "INSERT INTO labels (name) VALUES ($name) ON CONFLICT (name) DO NOTHING", ("$name", label));
            Scalar(connection, """
                INSERT INTO post_labels (post_id, label_id) SELECT $post, id FROM labels WHERE name = $name
                """, ("$post", id), ("$name", label));
        }
        Scalar(connection, """
            INSERT INTO posts_fts (rowid, title, subtitle, body_text, labels) VALUES ($id, $title, $subtitle, $body, $labels)
            """,
            ("$id", id), ("$title", post.Title), ("$subtitle", post.Subtitle), ("$body", bodyText), ("$labels", string.Join(' ', post.Labels)));
        return ((long)id!, slug);
    }

    /// <summary>Records that the post once lived at <paramref name="oldSlug"/>, as renaming a published post does.</summary>
    public static void AddSlugRedirect(BlogAppFactory app, string kind, string oldSlug, long postId)
    {
        using var connection = app.OpenDatabase();
        Scalar(connection, "INSERT INTO post_slug_redirects (kind, old_slug, post_id) VALUES ($kind, $old, $post)",
            ("$kind", kind), ("$old", oldSlug), ("$post", postId));
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command.ExecuteScalar();
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
