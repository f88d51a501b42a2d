using System.Data.Common;
using Blog.Web.Features.Media;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Blog.Web.Data;

/// <summary>
/// Copies a SQLite blog (its database and its media/ folder) into an empty PostgreSQL database: applies the PostgreSQL
/// migrations, then copies every table in foreign-key order with its ids, rebuilds the search rows, stores the picture
/// files in media_blobs and moves each identity sequence past the copied ids. All of it is one transaction, committed
/// only when every table holds as many rows as its source: a failed or refused copy leaves the target empty.
/// </summary>
public sealed class SqliteToPostgresCopy(
    string sqlitePath,
    string mediaFolder,
    NpgsqlDataSource target,
    IReadOnlyList<Migration> postgresMigrations,
    ILogger<PostgresMigrator> migratorLogger)
{
    /// <summary>The one table the migrations fill (a counter row); the source's row replaces it.</summary>
    private const string SeededTable = "post_counts_version";

    private const string MediaBlobsTable = "media_blobs";

    /// <summary>
    /// What the instances of a PostgreSQL blog share without Redis (the key ring, the change counters): a SQLite blog
    /// has none (its keys are in the data folder), so they are neither compared nor copied, and start empty.
    /// </summary>
    private static readonly string[] InstanceTables = ["schema_migrations", "data_protection_keys", "instance_changes"];

    /// <summary>
    /// FTS5 keeps posts_fts in shadow tables; PostgreSQL's posts_search holds the same columns, its tsvector derived
    /// from them. Rows of deleted posts that FTS5 may still hold have no post to belong to and stay behind.
    /// </summary>
    private static readonly Dictionary<string, string> RenamedTables = new(StringComparer.Ordinal)
    {
        ["posts_fts"] = "posts_search",
    };

    private const string SearchRowsSql = """
        SELECT rowid AS post_id, title, subtitle, body_text, labels
        FROM posts_fts
        WHERE rowid IN (SELECT id FROM posts)
        """;

    // Large tables copy for as long as they need; cancellation still stops them.
    private const int NoTimeout = 0;

    public async Task<CopyReport> RunAsync(CancellationToken ct)
    {
        if (!File.Exists(sqlitePath))
        {
            return CopyReport.Refused($"There is no SQLite database at {sqlitePath} to copy.");
        }
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = sqlitePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await source.OpenAsync(ct);
        // One read transaction: every count and row comes from the same moment of the source.
        await using var snapshot = source.BeginTransaction(deferred: true);

        if (await SchemaMismatchAsync(source, snapshot, ct) is { } mismatch)
        {
            return CopyReport.Refused(mismatch);
        }
        await new PostgresMigrator(target, postgresMigrations, migratorLogger).ApplyAsync(ct);

        await using var connection = await target.OpenConnectionAsync(ct);
        // The migrations just created citext: a data source that connected before them has not loaded the type.
        await connection.ReloadTypesAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var tables = await TargetTablesAsync(connection, ct);
        if (await FirstTableWithRowsAsync(connection, tables, ct) is { } filled)
        {
            return CopyReport.Refused(
                $"The PostgreSQL database is not empty (table {filled} has rows). Copy into a new, empty database; nothing was changed.");
        }
        var sourceTables = await SourceTablesAsync(source, snapshot, ct);
        if ((TableSetProblem(sourceTables, tables) ?? await ColumnSetProblemAsync(source, snapshot, tables, ct)) is { } schemaProblem)
        {
            return CopyReport.Refused(schemaProblem);
        }

        await SetUserTriggersAsync(connection, tables, enabled: false, ct);
        await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {SeededTable};", cancellationToken: ct));
        var counts = new List<TableCount>();
        foreach (var table in tables.InForeignKeyOrder())
        {
            if (table.Name == MediaBlobsTable)
            {
                continue;
            }
            var sourceName = RenamedTables.FirstOrDefault(r => r.Value == table.Name).Key ?? table.Name;
            var sourceRows = await source.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT count(*) FROM ({SourceRowsSql(table, sourceName)})", transaction: snapshot, commandTimeout: NoTimeout, cancellationToken: ct));
            await CopyTableAsync(source, snapshot, connection, table, sourceName, ct);
            counts.Add(new TableCount(table.Name, sourceRows, await CountRowsAsync(connection, table.Name, ct)));
        }
        var media = await CopyMediaFilesAsync(source, snapshot, connection, ct);
        counts.Add(new TableCount(MediaBlobsTable, media.Copied, await CountRowsAsync(connection, MediaBlobsTable, ct)));
        await MoveIdentitiesPastCopiedIdsAsync(connection, tables, ct);
        await SetUserTriggersAsync(connection, tables, enabled: true, ct);

        var report = new CopyReport { Tables = counts, MediaBytes = media.Bytes, MissingMedia = media.Missing };
        if (!report.CountsMatch)
        {
            await transaction.RollbackAsync(ct);
            return report with { Problem = "The row counts differ, so the copy was rolled back; the PostgreSQL database is empty again." };
        }
        await transaction.CommitAsync(ct);
        // Fresh tables have no statistics: without them the planner guesses until autovacuum gets round to them.
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE;", commandTimeout: NoTimeout, cancellationToken: ct));
        return report;
    }

    /// <summary>
    /// The SQLite blog must be at this Quire's schema (the command applies its migrations first): the two engines'
    /// migrations are numbered in step, so the same versions mean the same tables and columns.
    /// </summary>
    private async Task<string?> SchemaMismatchAsync(SqliteConnection source, SqliteTransaction snapshot, CancellationToken ct)
    {
        var applied = (await source.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations ORDER BY version;", transaction: snapshot, cancellationToken: ct))).ToList();
        var known = postgresMigrations.Select(m => m.Version).Order().ToList();
        return applied.SequenceEqual(known)
            ? null
            : $"The SQLite blog's schema (migrations {string.Join(", ", applied)}) is not the one this Quire copies " +
              $"(migrations {string.Join(", ", known)}). Copy it with the Quire version that last ran it.";
    }

    private static async Task<TargetTables> TargetTablesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var columns = await connection.QueryAsync<TargetColumn>(new CommandDefinition("""
            SELECT table_name AS "Table", column_name AS "Name", udt_name AS "Type", is_identity = 'YES' AS "IsIdentity"
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_generated = 'NEVER' AND table_name <> ALL (@InstanceTables)
            ORDER BY table_name, ordinal_position;
            """, new { InstanceTables }, cancellationToken: ct));
        var references = await connection.QueryAsync<(string Child, string Parent)>(new CommandDefinition("""
            SELECT child.relname, parent.relname
            FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid
            JOIN pg_class parent ON parent.oid = k.confrelid
            WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace;
            """, cancellationToken: ct));
        return new TargetTables(
            [.. columns.GroupBy(c => c.Table).Select(g => new TargetTable(g.Key, [.. g]))],
            [.. references]);
    }

    private static async Task<string?> FirstTableWithRowsAsync(NpgsqlConnection connection, TargetTables tables, CancellationToken ct)
    {
        foreach (var table in tables.All.Where(t => t.Name != SeededTable))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    $"SELECT EXISTS (SELECT 1 FROM {Quote(table.Name)});", cancellationToken: ct)))
            {
                return table.Name;
            }
        }
        return null;
    }

    /// <summary>The source's tables as they will be copied: FTS5's shadow tables and the migration record left out.</summary>
    private static async Task<List<string>> SourceTablesAsync(SqliteConnection source, SqliteTransaction snapshot, CancellationToken ct) =>
        [.. (await source.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name;",
                transaction: snapshot,
                cancellationToken: ct)))
            .Where(name => name != "schema_migrations" && !name.StartsWith("posts_fts_", StringComparison.Ordinal))];

    /// <summary>
    /// Each source table must have a target of the same name (or its renamed one), and each target table but
    /// media_blobs a source: a table added on one engine only would otherwise be lost without a word.
    /// </summary>
    private static string? TableSetProblem(List<string> sourceTables, TargetTables tables)
    {
        var expected = sourceTables.Select(name => RenamedTables.GetValueOrDefault(name, name)).Append(MediaBlobsTable).ToHashSet();
        var present = tables.All.Select(t => t.Name).ToHashSet();
        var onlySource = expected.Except(present).Order().ToList();
        var onlyTarget = present.Except(expected).Order().ToList();
        if (onlySource.Count == 0 && onlyTarget.Count == 0)
        {
            return null;
        }
        return "The two schemas do not have the same tables, so nothing was copied: " +
               $"only in SQLite: {string.Join(", ", onlySource.DefaultIfEmpty("none"))}; " +
               $"only in PostgreSQL: {string.Join(", ", onlyTarget.DefaultIfEmpty("none"))}.";
    }

    /// <summary>Each copied table must have the same columns on both engines, or a column would be dropped silently.</summary>
    private static async Task<string?> ColumnSetProblemAsync(SqliteConnection source, SqliteTransaction snapshot, TargetTables tables, CancellationToken ct)
    {
        foreach (var table in tables.All.Where(t => !RenamedTables.ContainsValue(t.Name) && t.Name != MediaBlobsTable))
        {
            var sourceColumns = (await source.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM pragma_table_info(@Table);", new { Table = table.Name }, snapshot, cancellationToken: ct))).ToHashSet();
            if (!sourceColumns.SetEquals(table.Columns.Select(c => c.Name)))
            {
                return $"Table {table.Name} does not have the same columns in SQLite ({string.Join(", ", sourceColumns.Order())}) " +
                       $"and PostgreSQL ({string.Join(", ", table.Columns.Select(c => c.Name).Order())}), so nothing was copied.";
            }
        }
        return null;
    }

    /// <summary>
    /// The copy writes each table as it was, so the triggers that derive columns or bump counters on insert must not
    /// run (their results are already in the copied rows). Foreign keys are system triggers and stay checked.
    /// </summary>
    private static async Task SetUserTriggersAsync(NpgsqlConnection connection, TargetTables tables, bool enabled, CancellationToken ct)
    {
        var verb = enabled ? "ENABLE" : "DISABLE";
        foreach (var table in tables.All)
        {
            await connection.ExecuteAsync(new CommandDefinition($"ALTER TABLE {Quote(table.Name)} {verb} TRIGGER USER;", cancellationToken: ct));
        }
    }

    /// <summary>Streams the rows through binary COPY: one row in memory at a time, whatever the table's size.</summary>
    private static async Task CopyTableAsync(
        SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection connection, TargetTable table, string sourceName, CancellationToken ct)
    {
        var columnList = ColumnList(table);
        await using var select = source.CreateCommand();
        select.Transaction = snapshot;
        select.CommandText = SourceRowsSql(table, sourceName);
        select.CommandTimeout = NoTimeout;
        await using var rows = await select.ExecuteReaderAsync(ct);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {Quote(table.Name)} ({columnList}) FROM STDIN (FORMAT BINARY)", ct);
        while (await rows.ReadAsync(ct))
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                if (rows.IsDBNull(i))
                {
                    await importer.WriteNullAsync(ct);
                }
                else
                {
                    await WriteValueAsync(importer, rows, i, table.Columns[i], ct);
                }
            }
        }
        await importer.CompleteAsync(ct);
    }

    /// <summary>SQLite's storage classes turned into the PostgreSQL column's type: UTC text times, 0/1 flags, blobs.</summary>
    private static Task WriteValueAsync(NpgsqlBinaryImporter importer, SqliteDataReader rows, int i, TargetColumn column, CancellationToken ct) =>
        column.Type switch
        {
            "int8" => importer.WriteAsync(rows.GetInt64(i), NpgsqlDbType.Bigint, ct),
            "int4" => importer.WriteAsync(checked((int)rows.GetInt64(i)), NpgsqlDbType.Integer, ct),
            "bool" => importer.WriteAsync(Flag(rows.GetInt64(i), column), NpgsqlDbType.Boolean, ct),
            "text" => importer.WriteAsync(rows.GetString(i), NpgsqlDbType.Text, ct),
            "citext" => importer.WriteAsync(rows.GetString(i), NpgsqlDbType.Citext, ct),
            "timestamptz" => importer.WriteAsync(SqliteTimes.Parse(rows.GetString(i)), NpgsqlDbType.TimestampTz, ct),
            "bytea" => importer.WriteAsync((byte[])rows.GetValue(i), NpgsqlDbType.Bytea, ct),
            _ => throw new NotSupportedException(
                $"Column {column.Table}.{column.Name} has the PostgreSQL type {column.Type}, which the copy does not convert yet."),
        };

    private static bool Flag(long value, TargetColumn column) => value switch
    {
        0 => false,
        1 => true,
        _ => throw new InvalidDataException($"Column {column.Table}.{column.Name} holds {value}, which is neither 0 nor 1."),
    };

    /// <summary>
    /// Every file the media_files rows name, read from the media folder into media_blobs. A file the folder lacks is
    /// missing on the SQLite blog too; it is named, not invented.
    /// </summary>
    private async Task<MediaCopy> CopyMediaFilesAsync(SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection connection, CancellationToken ct)
    {
        await using var select = source.CreateCommand();
        select.Transaction = snapshot;
        select.CommandText = "SELECT m.hash, f.width, f.format FROM media_files f JOIN media m ON m.id = f.media_id ORDER BY m.hash, f.width, f.format";
        await using var rows = await select.ExecuteReaderAsync(ct);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {MediaBlobsTable} (name, hash, content) FROM STDIN (FORMAT BINARY)", ct);
        var copied = 0L;
        var bytes = 0L;
        var missing = new List<string>();
        while (await rows.ReadAsync(ct))
        {
            var hash = rows.GetString(0);
            var name = MediaAddresses.FileName(hash, rows.GetInt32(1), rows.GetString(2));
            var path = Path.Combine(mediaFolder, name);
            if (!File.Exists(path))
            {
                missing.Add(name);
                continue;
            }
            // One picture file at a time (a few MB at most), never the folder.
            var content = await File.ReadAllBytesAsync(path, ct);
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(name, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(hash, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(content, NpgsqlDbType.Bytea, ct);
            copied++;
            bytes += content.Length;
        }
        await importer.CompleteAsync(ct);
        return new MediaCopy(copied, bytes, missing);
    }

    /// <summary>The copied ids were given, not drawn: each identity must continue after the largest.</summary>
    private static async Task MoveIdentitiesPastCopiedIdsAsync(NpgsqlConnection connection, TargetTables tables, CancellationToken ct)
    {
        foreach (var column in tables.All.SelectMany(t => t.Columns).Where(c => c.IsIdentity))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"SELECT setval(pg_get_serial_sequence(@Table, @Column), COALESCE(MAX({Quote(column.Name)}), 0) + 1, false) FROM {Quote(column.Table)};",
                new { Table = Quote(column.Table), Column = column.Name },
                cancellationToken: ct));
        }
    }

    private static string SourceRowsSql(TargetTable table, string sourceName) =>
        sourceName == "posts_fts" ? SearchRowsSql : $"SELECT {ColumnList(table)} FROM {Quote(sourceName)}";

    private static string ColumnList(TargetTable table) => string.Join(", ", table.Columns.Select(c => Quote(c.Name)));

    private static Task<long> CountRowsAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {Quote(table)};", commandTimeout: NoTimeout, cancellationToken: ct));

    /// <summary>Names come from the catalogs, not from input; quoting keeps any of them one identifier.</summary>
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record MediaCopy(long Copied, long Bytes, List<string> Missing);

    private sealed record TargetColumn
    {
        public required string Table { get; init; }
        public required string Name { get; init; }
        public required string Type { get; init; }
        public bool IsIdentity { get; init; }
    }

    private sealed record TargetTable(string Name, IReadOnlyList<TargetColumn> Columns);

    private sealed record TargetTables(IReadOnlyList<TargetTable> All, IReadOnlyList<(string Child, string Parent)> References)
    {
        /// <summary>Parents before children (a table referring to itself checks those rows at the end of its COPY).</summary>
        public IEnumerable<TargetTable> InForeignKeyOrder()
        {
            var waitingFor = All.ToDictionary(
                t => t.Name,
                t => References.Where(r => r.Child == t.Name && r.Parent != t.Name).Select(r => r.Parent).ToHashSet());
            while (waitingFor.Count > 0)
            {
                var ready = waitingFor.Where(w => w.Value.Count == 0).Select(w => w.Key).Order(StringComparer.Ordinal).FirstOrDefault()
                    ?? throw new InvalidOperationException(
                        $"The foreign keys among {string.Join(", ", waitingFor.Keys)} form a cycle; the copy has no order to follow.");
                waitingFor.Remove(ready);
                foreach (var parents in waitingFor.Values)
                {
                    parents.Remove(ready);
                }
                yield return All.First(t => t.Name == ready);
            }
        }
    }
}

/// <summary>What a copy did: each table's rows in the source and in the target, and the picture files.</summary>
public sealed record CopyReport
{
    /// <summary>Why nothing (or nothing lasting) was copied; null when the copy was committed.</summary>
    public string? Problem { get; init; }

    public IReadOnlyList<TableCount> Tables { get; init; } = [];

    public long MediaBytes { get; init; }

    /// <summary>Picture files the source's rows name but its media folder lacks.</summary>
    public IReadOnlyList<string> MissingMedia { get; init; } = [];

    public bool CountsMatch => Tables.All(t => t.SourceRows == t.CopiedRows);

    public static CopyReport Refused(string problem) => new() { Problem = problem };
}

public sealed record TableCount(string Table, long SourceRows, long CopiedRows);
