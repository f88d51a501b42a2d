using System.Data.Common;
using Blog.Web.Data;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Blog.Web.Tests.Data;

/// <summary>
/// db/sqlite and db/postgresql must mean the same schema: the queries written for one engine run on the other. Both
/// are migrated fresh and described as plain facts (tables, columns with a type family and NOT NULL, keys, unique
/// rules, named indexes, foreign keys with their ON DELETE, triggers); the facts must be equal. FTS5's posts_fts
/// (and its shadow tables) and PostgreSQL's posts_search are one documented difference, PostgreSQL's media_blobs
/// (the pictures' files, kept in the data folder on SQLite) another, and what PostgreSQL instances share without Redis
/// (data_protection_keys, instance_changes: a SQLite blog is one process) the last: all are left out here and
/// tested on their own. Index columns past the first are not compared: that is where each engine's planner needs
/// its own design.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class SchemaParityTests : IAsyncLifetime
{
    private readonly string _folder = TestDataFolder.Create();
    private PostgresTestDatabase _postgres = null!;

    private SqliteDatabase Sqlite => new(Path.Combine(_folder, "blog.db"));

    public async Task InitializeAsync()
    {
        _postgres = await PostgresTestDatabase.CreateAsync();
        await new Migrator(Sqlite, Migration.FromEmbeddedResources(typeof(Migration).Assembly), NullLogger<Migrator>.Instance).ApplyAsync();
        await _postgres.Migrator().ApplyAsync();
    }

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        TestDataFolder.Delete(_folder);
    }

    [Fact]
    public async Task BothEnginesDescribeTheSameSchema()
    {
        var sqlite = await DescribeSqliteAsync();
        var postgres = await DescribePostgresAsync();

        Assert.Empty(sqlite.Except(postgres));
        Assert.Empty(postgres.Except(sqlite));
        Assert.Contains("column posts.published_at text null", postgres);
        Assert.Contains("unique membership_requests (member_id) partial", postgres);
    }

    [Fact]
    public async Task AColumnMissingOnOneSideIsADifference()
    {
        await using (var connection = await _postgres.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("ALTER TABLE posts DROP COLUMN excerpt; DROP INDEX ix_members_role;");
        }

        var missing = (await DescribeSqliteAsync()).Except(await DescribePostgresAsync()).ToList();

        Assert.Equal(["column posts.excerpt text not null", "index ix_members_role on members leading role"], missing);
    }

    [Fact]
    public async Task MomentsAreTimestampsAndNothingElseIs()
    {
        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        var columns = await connection.QueryAsync<(string Table, string Column, string Type)>("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            """);

        var moments = columns.Where(c => c.Column.EndsWith("_at", StringComparison.Ordinal) || c.Column is "claimed_until" or "lockout_end").ToList();
        Assert.NotEmpty(moments);
        Assert.All(moments, c => Assert.Equal("timestamp with time zone", c.Type));
        Assert.Equal(moments.Count, columns.Count(c => c.Type == "timestamp with time zone"));
        // Calendar days of the statistics are not moments: 'YYYY-MM-DD' text, as on SQLite.
        Assert.All(columns.Where(c => c.Column == "day"), c => Assert.Equal("text", c.Type));
    }

    [Fact]
    public async Task TriggersKeepLabelCopiesAndTheCountsVersionAlikeOnBothEngines()
    {
        await using var sqlite = await Sqlite.OpenAsync();
        var onSqlite = await RunTriggerScriptAsync(sqlite, time => time.ToString("yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture));
        await using var postgres = await _postgres.DataSource.OpenConnectionAsync();
        var onPostgres = await RunTriggerScriptAsync(postgres, time => time);

        (string Step, long Copies, long WrongCopies, bool Bumped)[] expected =
        [
            ("add a published post", 0, 0, true),
            ("add two labels", 0, 0, false),
            ("label the post", 2, 0, true),
            ("add a draft", 2, 0, true),
            ("label the draft", 2, 0, true),
            ("edit the post's text", 2, 0, false),
            ("unpublish", 0, 0, true),
            ("publish again", 2, 0, true),
            ("reschedule", 2, 0, true),
            ("make it a page", 0, 0, true),
            ("make it a post again", 2, 0, true),
            ("rename a label", 2, 0, true),
            ("save a label unchanged", 2, 0, false),
            ("take off no label", 2, 0, false),
            ("take a label off", 1, 0, true),
            ("delete a label", 0, 0, true),
            ("delete the post", 0, 0, true),
        ];
        Assert.Equal(expected, onSqlite);
        Assert.Equal(expected, onPostgres);
    }

    /// <summary>
    /// The same statements on either engine; after each: how many label rows carry a publication time, how many
    /// carry a wrong one (not their post's, or one a draft or page should not have), and whether the counts version moved.
    /// </summary>
    private static async Task<List<(string Step, long Copies, long WrongCopies, bool Bumped)>> RunTriggerScriptAsync(
        DbConnection connection, Func<DateTime, object> time)
    {
        var observed = new List<(string, long, long, bool)>();
        var version = await ScalarAsync(connection, "SELECT version FROM post_counts_version");
        async Task<long> StepAsync(string step, string sql, params (string Name, object Value)[] parameters)
        {
            var result = await ScalarAsync(connection, sql, parameters);
            var copies = await ScalarAsync(connection, "SELECT COUNT(*) FROM post_labels WHERE published_at IS NOT NULL");
            var wrong = await ScalarAsync(connection, """
                SELECT COUNT(*) FROM post_labels pl JOIN posts p ON p.id = pl.post_id
                WHERE pl.published_at IS DISTINCT FROM (CASE WHEN p.kind = 'post' AND p.status = 'published' THEN p.published_at END)
                """);
            var now = await ScalarAsync(connection, "SELECT version FROM post_counts_version");
            observed.Add((step, copies, wrong, now != version));
            version = now;
            return result;
        }

        var at = time(new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc));
        const string insertPost = """
            INSERT INTO posts (kind, title, slug, status, published_at, created_at, updated_at)
            VALUES ('post', @Title, @Slug, @Status, @PublishedAt, @At, @At) RETURNING id
            """;
        var post = await StepAsync("add a published post", insertPost, ("Title", "A"), ("Slug", "a"), ("Status", "published"), ("PublishedAt", at), ("At", at));
        await StepAsync("add two labels", "INSERT INTO labels (name) VALUES ('Travel'), ('Food')");
        await StepAsync("label the post", "INSERT INTO post_labels (post_id, label_id) SELECT @Post, id FROM labels", ("Post", post));
        var draft = await StepAsync("add a draft", insertPost, ("Title", "B"), ("Slug", "b"), ("Status", "draft"), ("PublishedAt", DBNull.Value), ("At", at));
        await StepAsync("label the draft", "INSERT INTO post_labels (post_id, label_id) SELECT @Post, id FROM labels WHERE name = 'travel'", ("Post", draft));
        await StepAsync("edit the post's text", "UPDATE posts SET title = 'A, edited', body_html = '<p>Edited</p>' WHERE id = @Post", ("Post", post));
        await StepAsync("unpublish", "UPDATE posts SET status = 'draft' WHERE id = @Post", ("Post", post));
        await StepAsync("publish again", "UPDATE posts SET status = 'published', published_at = @At WHERE id = @Post",
            ("Post", post), ("At", time(new DateTime(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc))));
        await StepAsync("reschedule", "UPDATE posts SET published_at = @At WHERE id = @Post",
            ("Post", post), ("At", time(new DateTime(2026, 4, 1, 8, 0, 0, DateTimeKind.Utc))));
        await StepAsync("make it a page", "UPDATE posts SET kind = 'page' WHERE id = @Post", ("Post", post));
        await StepAsync("make it a post again", "UPDATE posts SET kind = 'post' WHERE id = @Post", ("Post", post));
        await StepAsync("rename a label", "UPDATE labels SET name = 'Meals' WHERE name = 'Food'");
        await StepAsync("save a label unchanged", "UPDATE labels SET name = name");
        await StepAsync("take off no label", "DELETE FROM post_labels WHERE post_id = -1");
        await StepAsync("take a label off", "DELETE FROM post_labels WHERE post_id = @Post AND label_id = (SELECT id FROM labels WHERE name = 'Meals')", ("Post", post));
        await StepAsync("delete a label", "DELETE FROM labels WHERE name = 'Travel'");
        await StepAsync("delete the post", "DELETE FROM posts WHERE id = @Post", ("Post", post));
        return observed;
    }

    /// <summary>Plain ADO.NET, not Dapper: each engine gets its own value types (text times on SQLite, DateTime on PostgreSQL).</summary>
    private static async Task<long> ScalarAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteScalarAsync() is { } result and not DBNull ? Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static bool IsEngineOwnTable(string table) =>
        table is "posts_search" or "media_blobs" or "data_protection_keys" or "instance_changes"
        || table.StartsWith("posts_fts", StringComparison.Ordinal);

    private async Task<SortedSet<string>> DescribeSqliteAsync()
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        await using var connection = await Sqlite.OpenAsync();
        var tables = (await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")).Where(t => !IsEngineOwnTable(t));
        foreach (var table in tables)
        {
            facts.Add($"table {table}");
            var columns = (await connection.QueryAsync<(string Name, string Type, long NotNull, long Pk)>(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@Table)", new { Table = table })).ToList();
            foreach (var c in columns)
            {
                // A rowid table's TEXT PRIMARY KEY accepts NULL in SQLite (a compatibility quirk), but no Quire row has one.
                facts.Add($"column {table}.{c.Name} {SqliteFamily(c.Type)} {(c.NotNull == 1 || c.Pk > 0 ? "not null" : "null")}");
            }
            facts.Add($"primary key {table} ({string.Join(", ", columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name))})");

            var indexes = await connection.QueryAsync<(string Name, long Unique, string Origin, long Partial)>(
                "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@Table)", new { Table = table });
            foreach (var index in indexes.Where(i => i.Origin != "pk"))
            {
                var keys = (await connection.QueryAsync<string>(
                    "SELECT name FROM pragma_index_info(@Index) ORDER BY seqno", new { Index = index.Name })).ToList();
                AddIndexFacts(facts, table, index.Name, index.Unique == 1, index.Partial == 1, named: index.Origin == "c", keys);
            }

            var keysTo = await connection.QueryAsync<(string Target, string From, string OnDelete)>(
                "SELECT \"table\", \"from\", on_delete FROM pragma_foreign_key_list(@Table)", new { Table = table });
            foreach (var key in keysTo)
            {
                facts.Add($"foreign key {table}.{key.From} -> {key.Target} on delete {key.OnDelete}");
            }
        }
        foreach (var (name, table) in await connection.QueryAsync<(string, string)>("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger'"))
        {
            facts.Add($"trigger {name} on {table}");
        }
        return facts;
    }

    private async Task<SortedSet<string>> DescribePostgresAsync()
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            """)).Where(t => !IsEngineOwnTable(t));
        foreach (var table in tables)
        {
            facts.Add($"table {table}");
            var columns = await connection.QueryAsync<(string Name, string Type, bool NotNull)>("""
                SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute
                WHERE attrelid = @Table::regclass AND attnum > 0 AND NOT attisdropped
                """, new { Table = table });
            foreach (var c in columns)
            {
                facts.Add($"column {table}.{c.Name} {PostgresFamily(c.Type)} {(c.NotNull ? "not null" : "null")}");
            }
            var primaryKey = await connection.QueryAsync<string>("""
                SELECT a.attname FROM pg_constraint k
                CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u (attnum, ord)
                JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
                WHERE k.conrelid = @Table::regclass AND k.contype = 'p'
                ORDER BY u.ord
                """, new { Table = table });
            facts.Add($"primary key {table} ({string.Join(", ", primaryKey)})");

            var indexes = await connection.QueryAsync<(string Name, bool Unique, bool Primary, bool Partial, bool BacksConstraint, string[] Keys)>("""
                SELECT i.relname, x.indisunique, x.indisprimary, x.indpred IS NOT NULL,
                       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid),
                       ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS u (attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.attnum
                             WHERE u.ord <= x.indnkeyatts ORDER BY u.ord)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = @Table::regclass
                """, new { Table = table });
            foreach (var index in indexes.Where(i => !i.Primary))
            {
                AddIndexFacts(facts, table, index.Name, index.Unique, index.Partial, named: !index.BacksConstraint, index.Keys);
            }

            var keysTo = await connection.QueryAsync<(string Target, string From, string OnDelete)>("""
                SELECT r.relname, a.attname, k.confdeltype::text FROM pg_constraint k
                JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                JOIN pg_class r ON r.oid = k.confrelid
                WHERE k.conrelid = @Table::regclass AND k.contype = 'f'
                """, new { Table = table });
            foreach (var key in keysTo)
            {
                var onDelete = key.OnDelete switch { "a" => "NO ACTION", "c" => "CASCADE", "n" => "SET NULL", "r" => "RESTRICT", "d" => "SET DEFAULT", var other => other };
                facts.Add($"foreign key {table}.{key.From} -> {key.Target} on delete {onDelete}");
            }
        }
        foreach (var (name, table) in await connection.QueryAsync<(string, string)>("""
            SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND n.nspname = 'public'
            """))
        {
            facts.Add($"trigger {name} on {table}");
        }
        return facts;
    }

    /// <summary>
    /// A unique rule is its columns (and whether it covers only some rows); a named index is its name, table, leading
    /// column and partial-ness: the rest of its key is each engine's own design.
    /// </summary>
    private static void AddIndexFacts(SortedSet<string> facts, string table, string name, bool unique, bool partial, bool named, IReadOnlyList<string> keys)
    {
        var rows = partial ? " partial" : "";
        if (unique)
        {
            facts.Add($"unique {table} ({string.Join(", ", keys)}){rows}");
        }
        if (named)
        {
            facts.Add($"index {name} on {table} leading {keys[0]}{rows}");
        }
    }

    // Values each side stores in the same family: whole numbers (and PostgreSQL's booleans, SQLite's 0/1), text (and
    // PostgreSQL's timestamptz and citext, SQLite's ISO-8601 text), bytes. Anything else is named as it is, so it differs.
    private static string SqliteFamily(string declared) => declared switch
    {
        "INTEGER" => "integer",
        "TEXT" => "text",
        "BLOB" => "bytes",
        _ => declared,
    };

    private static string PostgresFamily(string type) => type switch
    {
        "bigint" or "integer" or "boolean" => "integer",
        "text" or "citext" or "timestamp with time zone" => "text",
        "bytea" => "bytes",
        _ => type,
    };
}
