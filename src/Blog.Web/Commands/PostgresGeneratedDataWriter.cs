using Blog.Web.Data;
using Dapper;
using Npgsql;

namespace Blog.Web.Commands;

/// <summary>
/// Loads a generated blog into PostgreSQL: one transaction, rows streamed through binary COPY. The secondary indexes
/// of the big tables are dropped first and built again at the end (one sort per index instead of a million ordered
/// inserts), and the tables' own triggers are off during the load: post_labels' copy of published_at is written
/// directly and the sidebar's version bumped once, as on SQLite. Foreign keys stay checked. Each value's PostgreSQL
/// type follows from its .NET type (long → bigint, string → text, a UTC DateTime → timestamptz).
/// </summary>
public sealed class PostgresGeneratedDataWriter(NpgsqlConnection connection) : IGeneratedDataWriter
{
    /// <summary>Posts go in batches: a post's label and search rows need a COPY of their own, and one connection runs one COPY at a time.</summary>
    private const int PostsPerBatch = 500;

    // Large loads and index builds take as long as they need; cancellation still stops them.
    private const int NoTimeout = 0;

    private static readonly string[] LoadedTables = ["labels", "posts", "post_labels", "posts_search", "comments"];
    private static readonly string[] ReindexedTables = ["post_labels", "posts_search", "comments"];

    private NpgsqlTransaction? _transaction;
    private List<string> _deferredIndexes = [];

    public static async Task<PostgresGeneratedDataWriter> OpenAsync(PostgresDatabase database, CancellationToken ct) =>
        new(await database.DataSource.OpenConnectionAsync(ct));

    public string Description => $"The PostgreSQL database {connection.Database}";

    public Task<long> CountPostsAsync(CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM posts;", cancellationToken: ct));

    public async Task BeginAsync(CancellationToken ct)
    {
        _transaction = await connection.BeginTransactionAsync(ct);
        // Room to sort each index in memory when it is built (the default, 64 MB, spills the comments' to disk).
        await ExecuteAsync("SET LOCAL maintenance_work_mem = '256MB';", ct);
        foreach (var table in LoadedTables)
        {
            await ExecuteAsync($"ALTER TABLE {table} DISABLE TRIGGER USER;", ct);
        }
        // Indexes that back a constraint (primary keys, unique) stay: the load relies on them.
        var indexes = (await connection.QueryAsync<(string Name, string Definition)>(new CommandDefinition("""
            SELECT i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@Tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
            ORDER BY i.tablename, i.indexname;
            """, new { Tables = ReindexedTables }, _transaction, cancellationToken: ct))).ToList();
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX \"{name}\";", ct);
        }
        _deferredIndexes = [.. indexes.Select(i => i.Definition)];
    }

    public async Task<long[]> WriteLabelsAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        var ids = new long[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            await ExecuteAsync("INSERT INTO labels (name) VALUES (@Name) ON CONFLICT (name) DO NOTHING;", ct, new { Name = names[i] });
            ids[i] = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT id FROM labels WHERE name = @Name::citext;", new { Name = names[i] }, _transaction, cancellationToken: ct));
        }
        return ids;
    }

    public async Task<(long Post, long Comment)> NextIdsAsync(CancellationToken ct) => (
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(id), 0) + 1 FROM posts;", transaction: _transaction, cancellationToken: ct)),
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(id), 0) + 1 FROM comments;", transaction: _transaction, cancellationToken: ct)));

    public async Task WritePostsAsync(IEnumerable<GeneratedPostRow> posts, CancellationToken ct)
    {
        foreach (var batch in posts.Chunk(PostsPerBatch))
        {
            await using (var importer = await BeginCopyAsync("""
                COPY posts (id, kind, author_id, title, subtitle, slug, body_markdown, body_html, excerpt, status,
                            published_at, allow_comments, created_at, updated_at) FROM STDIN (FORMAT BINARY)
                """, ct))
            {
                foreach (var row in batch)
                {
                    await importer.WriteRowAsync(ct, row.Id, "post", row.AuthorId, row.Title, row.Subtitle, row.Slug, row.Markdown, row.Html,
                        row.Excerpt, "published", row.PublishedAt, true, row.PublishedAt, row.PublishedAt);
                }
                await importer.CompleteAsync(ct);
            }
            // published_at: the copy the label pages read (a trigger writes it in normal use; the triggers are off here).
            await using (var importer = await BeginCopyAsync(
                "COPY post_labels (post_id, label_id, published_at) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var row in batch)
                {
                    foreach (var labelId in row.LabelIds)
                    {
                        await importer.WriteRowAsync(ct, row.Id, labelId, row.PublishedAt);
                    }
                }
                await importer.CompleteAsync(ct);
            }
            // The document column is derived from these by PostgreSQL (a generated column).
            await using (var importer = await BeginCopyAsync(
                "COPY posts_search (post_id, title, subtitle, body_text, labels) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var row in batch)
                {
                    await importer.WriteRowAsync(ct, row.Id, row.Title, row.Subtitle, row.SearchText, row.LabelNames);
                }
                await importer.CompleteAsync(ct);
            }
        }
    }

    public async Task WriteCommentsAsync(IEnumerable<GeneratedCommentRow> comments, CancellationToken ct)
    {
        await using var importer = await BeginCopyAsync("""
            COPY comments (id, post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, created_at)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var row in comments)
        {
            object threadRoot = row.ThreadRootId is { } id ? id : DBNull.Value;
            await importer.WriteRowAsync(ct, row.Id, row.PostId, threadRoot, threadRoot, row.Depth, row.AuthorId, row.Markdown, row.Html,
                "approved", row.CreatedAt);
        }
        await importer.CompleteAsync(ct);
    }

    public async Task FinishAsync(CancellationToken ct)
    {
        foreach (var definition in _deferredIndexes)
        {
            await ExecuteAsync(definition + ";", ct);
        }
        // The ids were given, not drawn: each identity must continue after the largest.
        foreach (var table in (string[])["posts", "comments", "labels"])
        {
            await ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table};", ct);
        }
        // The triggers were off during the load: the sidebar's cached counts must still see that posts changed.
        await ExecuteAsync("UPDATE post_counts_version SET version = version + 1 WHERE id = 1;", ct);
        foreach (var table in LoadedTables)
        {
            await ExecuteAsync($"ALTER TABLE {table} ENABLE TRIGGER USER;", ct);
        }
        await _transaction!.CommitAsync(ct);
        await _transaction.DisposeAsync();
        _transaction = null;
        // Fresh tables have no statistics: without them the planner guesses until autovacuum gets round to them.
        await ExecuteAsync($"ANALYZE {string.Join(", ", LoadedTables)};", ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }
        await connection.DisposeAsync();
    }

    /// <summary>
    /// A COPY that may take as long as it needs: its end waits for the foreign-key checks of every row, which on a
    /// million comments outlasts the default command timeout (zero is no timeout here; cancellation still stops it).
    /// </summary>
    private async Task<NpgsqlBinaryImporter> BeginCopyAsync(string copyCommand, CancellationToken ct)
    {
        var importer = await connection.BeginBinaryImportAsync(copyCommand, ct);
        importer.Timeout = TimeSpan.Zero;
        return importer;
    }

    /// <summary>Table names here are constants of this class, never input.</summary>
    private Task<int> ExecuteAsync(string sql, CancellationToken ct, object? parameters = null) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, _transaction, NoTimeout, cancellationToken: ct));
}
