using System.Globalization;
using Blog.Web.Data;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Commands;

/// <summary>
/// Loads a generated blog into the SQLite file: one transaction with prepared commands. The comments' and labels'
/// secondary indexes and the triggers are dropped first and created again at the end (from their own SQL in
/// sqlite_master): building an index once is far cheaper than keeping six of them up to date through a million
/// inserts in random key order.
/// </summary>
public sealed class SqliteGeneratedDataWriter(SqliteDatabase database, SqliteConnection connection) : IGeneratedDataWriter
{
    private SqliteTransaction? _transaction;
    private List<string> _deferred = [];

    public static async Task<SqliteGeneratedDataWriter> OpenAsync(SqliteDatabase database, CancellationToken ct) =>
        new(database, await database.OpenSqliteAsync(ct));

    public string Description => $"The database at {database.DatabasePath}";

    public Task<long> CountPostsAsync(CancellationToken ct) => Task.FromResult(Scalar("SELECT count(*) FROM posts;"));

    public Task BeginAsync(CancellationToken ct)
    {
        // A generated database is thrown away if the machine stops mid-way, so durability can wait until the end:
        // no journal at all while loading (in WAL mode a load of gigabytes is written twice, and pages that spill from
        // the cache are read back from the log), no syncs, a large page cache. Leaving WAL needs this to be the only
        // connection, so the pool lets go of the idle ones first; WAL comes back once the data is in.
        SqliteConnection.ClearAllPools();
        Execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;");
        _transaction = connection.BeginTransaction();
        _deferred = DropIndexesAndTriggers();
        return Task.CompletedTask;
    }

    public Task<long[]> WriteLabelsAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        using var insert = Prepare("INSERT OR IGNORE INTO labels (name) VALUES (@Name);", "@Name");
        using var select = Prepare("SELECT id FROM labels WHERE name = @Name;", "@Name");
        var ids = new long[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            insert.Parameters[0].Value = names[i];
            insert.ExecuteNonQuery();
            select.Parameters[0].Value = names[i];
            ids[i] = Convert.ToInt64(select.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        return Task.FromResult(ids);
    }

    public Task<(long Post, long Comment)> NextIdsAsync(CancellationToken ct) => Task.FromResult((
        Scalar("SELECT coalesce(max(id), 0) FROM posts;") + 1,
        Scalar("SELECT coalesce(max(id), 0) FROM comments;") + 1));

    public Task WritePostsAsync(IEnumerable<GeneratedPostRow> posts, CancellationToken ct)
    {
        using var post = Prepare("""
            INSERT INTO posts (id, kind, author_id, title, subtitle, slug, body_markdown, body_html, excerpt, status,
                               published_at, allow_comments, created_at, updated_at)
            VALUES (@Id, 'post', @AuthorId, @Title, @Subtitle, @Slug, @Markdown, @Html, @Excerpt, 'published',
                    @PublishedAt, 1, @PublishedAt, @PublishedAt);
            """, "@Id", "@AuthorId", "@Title", "@Subtitle", "@Slug", "@Markdown", "@Html", "@Excerpt", "@PublishedAt");
        // published_at: the copy the label pages read (a trigger writes it in normal use; the triggers are off here).
        using var postLabel = Prepare(
            "INSERT INTO post_labels (post_id, label_id, published_at) VALUES (@PostId, @LabelId, @PublishedAt);",
            "@PostId", "@LabelId", "@PublishedAt");
        using var search = Prepare(
            "INSERT INTO posts_fts (rowid, title, subtitle, body_text, labels) VALUES (@Id, @Title, @Subtitle, @Text, @Labels);",
            "@Id", "@Title", "@Subtitle", "@Text", "@Labels");
        foreach (var row in posts)
        {
            var published = SqliteTimes.Format(row.PublishedAt);
            SetAndRun(post, row.Id, row.AuthorId, row.Title, row.Subtitle, row.Slug, row.Markdown, row.Html, row.Excerpt, published);
            foreach (var labelId in row.LabelIds)
            {
                SetAndRun(postLabel, row.Id, labelId, published);
            }
            SetAndRun(search, row.Id, row.Title, row.Subtitle, row.SearchText, row.LabelNames);
        }
        return Task.CompletedTask;
    }

    public Task WriteCommentsAsync(IEnumerable<GeneratedCommentRow> comments, CancellationToken ct)
    {
        using var insert = Prepare("""
            INSERT INTO comments (id, post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, created_at)
            VALUES (@Id, @PostId, @ParentId, @RootId, @Depth, @AuthorId, @Markdown, @Html, 'approved', @CreatedAt);
            """, "@Id", "@PostId", "@ParentId", "@RootId", "@Depth", "@AuthorId", "@Markdown", "@Html", "@CreatedAt");
        foreach (var row in comments)
        {
            SetAndRun(insert, row.Id, row.PostId, row.ThreadRootId, row.ThreadRootId, row.Depth, row.AuthorId, row.Markdown, row.Html,
                SqliteTimes.Format(row.CreatedAt));
        }
        return Task.CompletedTask;
    }

    public Task FinishAsync(CancellationToken ct)
    {
        foreach (var sql in _deferred)
        {
            Execute(sql);
        }
        // The triggers were off during the load: the sidebar's cached counts must still see that posts changed.
        Execute("UPDATE post_counts_version SET version = version + 1 WHERE id = 1;");
        _transaction!.Commit();
        _transaction = null;
        Execute("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000;");
        return Task.CompletedTask;
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
    /// Drops the triggers and the secondary indexes of comments and post_labels, and returns the SQL that creates
    /// them again. Unique constraints stay (they are part of the tables). The indexes of posts stay too: building
    /// one afterwards would read every post row through its overflow pages (status and published_at come after
    /// the body), while keeping them during the load costs little as posts arrive in id order. Without the
    /// triggers, post_labels' copy of published_at is written directly and post_counts_version bumped once.
    /// </summary>
    private List<string> DropIndexesAndTriggers()
    {
        var dropped = new List<(string Type, string Name, string Sql)>();
        using (var select = Prepare("""
            SELECT type, name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND ((type = 'index' AND tbl_name IN ('post_labels', 'comments'))
                                       OR (type = 'trigger' AND tbl_name IN ('posts', 'post_labels', 'comments', 'labels')))
            ORDER BY type, name;
            """))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                dropped.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        foreach (var (type, name, _) in dropped)
        {
            Execute($"DROP {(type == "index" ? "INDEX" : "TRIGGER")} \"{name}\";");
        }
        // Indexes first: a trigger created before its table's index is fine too, but this reads in schema order.
        return [.. dropped.OrderBy(d => d.Type, StringComparer.Ordinal).Select(d => d.Sql)];
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        return command;
    }

    private static void SetAndRun(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
