using System.Data.Common;
using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Import;

/// <summary>
/// The SQL of an import: which exported item became which row (imported_items), the rows an import adds besides
/// posts (guest comments, old addresses), and the threading of imported comments. Writes run inside a batch's
/// transaction, which the runner holds; reads outside one see what earlier batches committed.
/// </summary>
public sealed class ImportStore(BlogDatabase db)
{
    /// <summary>The local row an exported item became in an earlier import (or batch), or null.</summary>
    public async Task<long?> FindAsync(string source, string sourceId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, source, sourceId, ct);
    }

    public static Task<long?> FindAsync(DbConnection connection, DbTransaction? transaction, string source, string sourceId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT local_id FROM imported_items WHERE source = @Source AND source_id = @SourceId",
            new { Source = source, SourceId = sourceId }, transaction, cancellationToken: ct));

    public static Task RecordAsync(DbConnection connection, DbTransaction transaction, ImportedRow row, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO imported_items (source, source_id, kind, local_id, imported_at)
            VALUES (@Source, @SourceId, @Kind, @LocalId, @ImportedAt)
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, row, transaction, cancellationToken: ct));
    }

    /// <summary>A library picture stored by an earlier import for this address: one of its files' addresses.</summary>
    public async Task<ImportedPicture?> FindPictureAsync(string source, string address, CancellationToken ct)
    {
        const string sql = """
            SELECT m.hash, f.width, f.format
            FROM imported_items i
            JOIN media m ON m.id = i.local_id
            JOIN media_files f ON f.media_id = m.id
            WHERE i.source = @Source AND i.source_id = @Address AND i.kind = 'media'
            ORDER BY f.width
            LIMIT 1
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ImportedPicture>(new CommandDefinition(
            sql, new { Source = source, Address = address }, cancellationToken: ct));
    }

    public static async Task<bool> SlugTakenAsync(DbConnection connection, DbTransaction transaction, string kind, string slug, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM posts WHERE kind = @Kind AND slug = @Slug", new { Kind = kind, Slug = slug }, transaction, cancellationToken: ct)) is not null;

    public static Task<long> InsertCommentAsync(DbConnection connection, DbTransaction transaction, GuestComment comment, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO comments (post_id, parent_id, depth, body_markdown, body_html, status, held_reason,
                                  guest_name, guest_url, guest_email, created_at)
            VALUES (@PostId, @ParentId, 0, @BodyMarkdown, @BodyHtml, @Status, @HeldReason,
                    @GuestName, @GuestUrl, @GuestEmail, @CreatedAt)
            RETURNING id
            """;
        return connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, comment, transaction, cancellationToken: ct));
    }

    /// <summary>The local id of an imported comment on the same post, to reply to; null when there is none.</summary>
    public static Task<long?> FindParentAsync(DbConnection connection, DbTransaction transaction, string source, string parentSourceId, long postId, CancellationToken ct)
    {
        const string sql = """
            SELECT c.id FROM imported_items i JOIN comments c ON c.id = i.local_id
            WHERE i.source = @Source AND i.source_id = @ParentSourceId AND i.kind = 'comment' AND c.post_id = @PostId
            """;
        return connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            sql, new { Source = source, ParentSourceId = parentSourceId, PostId = postId }, transaction, cancellationToken: ct));
    }

    /// <summary>
    /// Links an imported reply whose parent came later in the file (or in a later batch) to that parent, when it
    /// has none yet: a reply the threading flattened keeps where it was put.
    /// </summary>
    public static Task<int> LinkParentAsync(DbConnection connection, DbTransaction transaction, string source, string sourceId, string parentSourceId, CancellationToken ct)
    {
        const string sql = """
            UPDATE comments
            SET parent_id = (SELECT p.id FROM imported_items i JOIN comments p ON p.id = i.local_id
                             WHERE i.source = @Source AND i.source_id = @ParentSourceId AND i.kind = 'comment'
                               AND p.post_id = comments.post_id)
            WHERE id = (SELECT local_id FROM imported_items WHERE source = @Source AND source_id = @SourceId AND kind = 'comment')
              AND parent_id IS NULL
              AND EXISTS (SELECT 1 FROM imported_items i JOIN comments p ON p.id = i.local_id
                          WHERE i.source = @Source AND i.source_id = @ParentSourceId AND i.kind = 'comment'
                            AND p.post_id = comments.post_id AND p.id <> comments.id)
            """;
        return connection.ExecuteAsync(new CommandDefinition(
            sql, new { Source = source, SourceId = sourceId, ParentSourceId = parentSourceId }, transaction, cancellationToken: ct));
    }

    /// <summary>Adds an old address unless it is already known; true when it was added.</summary>
    public static async Task<bool> AddLegacyAddressAsync(DbConnection connection, DbTransaction transaction, string address, long? postId, string? target, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO legacy_addresses (address, post_id, target) VALUES (@Address, @PostId, @Target) ON CONFLICT (address) DO NOTHING",
            new { Address = address, PostId = postId, Target = target }, transaction, cancellationToken: ct)) == 1;

    /// <summary>Where an old address of an imported post leads now: the post, when it is one.</summary>
    public async Task<LegacyPost?> FindLegacyPostAsync(string address, CancellationToken ct)
    {
        const string sql = """
            SELECT p.kind, p.slug, p.status, p.published_at
            FROM legacy_addresses a JOIN posts p ON p.id = a.post_id
            WHERE a.address = @Address
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<LegacyPost>(new CommandDefinition(sql, new { Address = address }, cancellationToken: ct));
    }

    /// <summary>The posts an import of <paramref name="source"/> made, in id order from after <paramref name="afterId"/>.</summary>
    public async Task<IReadOnlyList<long>> ImportedPostIdsAsync(string source, long afterId, int count, CancellationToken ct)
    {
        const string sql = """
            SELECT local_id FROM imported_items
            WHERE source = @Source AND kind IN ('post', 'page') AND local_id > @AfterId
            ORDER BY local_id
            LIMIT @Count
            """;
        await using var connection = await db.OpenAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition(
            sql, new { Source = source, AfterId = afterId, Count = count }, cancellationToken: ct))];
    }

    // Walks each post's threads from their top-level comments, carrying for every comment the deepest ancestor (or
    // itself) a reply may still attach to. A comment that no walk reaches (its parent chain loops) is not in it.
    // PostgreSQL types a bare NULL in the anchor as text, which the recursive term's bigint would then contradict.
    private static readonly DialectSql ThreadsSql = new(
        Sqlite: """
            WITH RECURSIVE tree (id, root, depth, anchor, parent_anchor) AS (
                SELECT id, id, 0, CASE WHEN @MaxDepth > 0 THEN id END, NULL
                FROM comments WHERE post_id IN @PostIds AND parent_id IS NULL
                UNION ALL
                SELECT c.id, t.root, t.depth + 1, CASE WHEN t.depth + 1 < @MaxDepth THEN c.id ELSE t.anchor END, t.anchor
                FROM comments c JOIN tree t ON c.parent_id = t.id
            )

            """,
        PostgreSql: """
            WITH RECURSIVE tree (id, root, depth, anchor, parent_anchor) AS (
                SELECT id, id, 0, CASE WHEN @MaxDepth > 0 THEN id END, NULL::bigint
                FROM comments WHERE post_id = ANY(@PostIds) AND parent_id IS NULL
                UNION ALL
                SELECT c.id, t.root, t.depth + 1, CASE WHEN t.depth + 1 < @MaxDepth THEN c.id ELSE t.anchor END, t.anchor
                FROM comments c JOIN tree t ON c.parent_id = t.id
            )

            """);

    private static readonly DialectSql UnloopSql = new(
        Sqlite: """
            UPDATE comments SET parent_id = NULL
            WHERE post_id IN @PostIds AND parent_id IS NOT NULL AND id NOT IN (SELECT id FROM tree)
            """,
        PostgreSql: """
            UPDATE comments SET parent_id = NULL
            WHERE post_id = ANY(@PostIds) AND parent_id IS NOT NULL AND id NOT IN (SELECT id FROM tree)
            """);

    /// <summary>
    /// Sets depth and root of every comment on these posts from its parent chain; a reply deeper than
    /// <paramref name="maxDepth"/> is attached at that depth, to its ancestor there, and one whose chain loops
    /// becomes a top-level comment. Returns how many replies were moved up.
    /// </summary>
    public static async Task<int> ThreadAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> postIds, int maxDepth, CancellationToken ct)
    {
        const string flatten = """
            UPDATE comments SET parent_id = tree.parent_anchor
            FROM tree WHERE comments.id = tree.id AND tree.depth > @MaxDepth
            """;
        const string depth = """
            UPDATE comments
            SET depth = tree.depth, root_id = CASE WHEN tree.depth = 0 THEN NULL ELSE tree.root END
            FROM tree
            WHERE comments.id = tree.id
              AND (comments.depth IS DISTINCT FROM tree.depth
                   OR comments.root_id IS DISTINCT FROM (CASE WHEN tree.depth = 0 THEN NULL ELSE tree.root END))
            """;
        var dialect = Dialect.Of(connection);
        var threads = dialect.Text(ThreadsSql);
        var parameters = new { PostIds = postIds.ToArray(), MaxDepth = maxDepth };
        await connection.ExecuteAsync(new CommandDefinition(threads + dialect.Text(UnloopSql), parameters, transaction, cancellationToken: ct));
        var flattened = await connection.ExecuteAsync(new CommandDefinition(threads + flatten, parameters, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(threads + depth, parameters, transaction, cancellationToken: ct));
        return flattened;
    }
}

public sealed record ImportedRow(string Source, string SourceId, string Kind, long LocalId, DateTime ImportedAt);

public sealed record ImportedPicture
{
    public string Hash { get; init; } = "";
    public int Width { get; init; }
    public string Format { get; init; } = "";
}

public sealed record LegacyPost
{
    public string Kind { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTime? PublishedAt { get; init; }
}

/// <summary>A comment from an export: its writer has no account here, only the name, link and address it gave.</summary>
public sealed record GuestComment
{
    public required long PostId { get; init; }
    public long? ParentId { get; init; }
    public required string BodyMarkdown { get; init; }
    public required string BodyHtml { get; init; }
    public required string Status { get; init; }
    public string? HeldReason { get; init; }
    public required string GuestName { get; init; }
    public string? GuestUrl { get; init; }
    public string? GuestEmail { get; init; }
    public required DateTime CreatedAt { get; init; }
}
