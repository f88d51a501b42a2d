using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Blog.Web.Hosting;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Blog.Web.Data;

/// <summary>
/// The blog's SQLite database file. Every connection enforces foreign keys, waits on a busy database instead of
/// failing at once, and uses WAL's recommended <c>synchronous=NORMAL</c>.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The write-turn semaphore's wait handle is never asked for, so it holds nothing to dispose.")]
public sealed class SqliteDatabase : BlogDatabase
{
    /// <summary>How long a writer waits for another writer's lock before giving up.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    public SqliteDatabase(DataFolder dataFolder)
        : this(dataFolder.DatabasePath)
    {
    }

    public SqliteDatabase(string databasePath)
        : this(databasePath, SqliteOpenMode.ReadWriteCreate)
    {
    }

    /// <summary>
    /// A factory opening every connection in <paramref name="mode"/>. <see cref="SqliteOpenMode.ReadOnly"/> is how a
    /// test sees the blog on a database it may not write: SQLite itself then refuses each write with SQLITE_READONLY,
    /// as it does for a file on a read-only file system.
    /// </summary>
    public SqliteDatabase(string databasePath, SqliteOpenMode mode)
    {
        DatabasePath = databasePath;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = mode,
            // Foreign keys are switched on with the other settings below, once per database connection, rather than
            // by Microsoft.Data.Sqlite on every open.
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    public override DatabaseEngine Engine => DatabaseEngine.Sqlite;

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    /// <summary>The database connections (sqlite3 handles, reused by the pool) that already have the settings.</summary>
    private static readonly ConditionalWeakTable<sqlite3, object> Configured = new();

    private static readonly object Marker = new();

    /// <summary>This process's writers take turns here (see <see cref="BeginWriteAsync"/>).</summary>
    private readonly SemaphoreSlim _writeTurn = new(1, 1);

    private volatile Action<string>? _statementListener;
    private bool _everListened;

    /// <summary>
    /// Test seam: when set, is told the text (with its bound values) of every SQL statement run on connections
    /// opened from then on, the per-connection pragmas excepted. Null in the running blog. Tests use it to prove
    /// that a page costs a fixed number of queries (no N+1) and to check the plan of every query a page runs.
    /// </summary>
    public Action<string>? StatementListener
    {
        get => _statementListener;
        set
        {
            _everListened |= value is not null;
            _statementListener = value;
        }
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await OpenSqliteAsync(cancellationToken);

    /// <summary>A connection with SQLite's own API, for what only SQLite has (backup, pragmas).</summary>
    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // A pooled connection keeps its trace hook from the last time it was handed out.
            if (_everListened)
            {
                raw.sqlite3_trace(connection.Handle, (strdelegate_trace?)null, null);
            }
            // Pooled connections keep their settings too, so only a newly opened database connection needs them:
            // a page opens a connection several times, and three statements each time were measurable under load.
            if (!Configured.TryGetValue(connection.Handle!, out _))
            {
                using var pragmas = connection.CreateCommand();
                pragmas.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
                Configured.AddOrUpdate(connection.Handle!, Marker);
            }
            TraceStatements(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a connection and begins a write transaction once this process's previous write transaction has ended.
    /// Writers wait for their turn here, without holding a thread, instead of inside SQLite: its busy handler sleeps
    /// on a thread-pool thread in growing steps (up to 100 ms), so under a burst of comments the lock sat free
    /// while the next writers slept. Another process's writer is still waited for within busy_timeout.
    /// </summary>
    public override async Task<DatabaseWrite> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        await _writeTurn.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenSqliteAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new DatabaseWrite(connection, transaction, _writeTurn);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            _writeTurn.Release();
            throw;
        }
    }

    /// <summary>
    /// Deferred: the driver's default (IMMEDIATE) would take the write lock, so writers would wait for the reads and
    /// the reads for writers; in WAL mode a deferred reader sees one snapshot and blocks no one. (A deferred BEGIN
    /// takes no lock, so it cannot wait: the driver offers it without an async form.)
    /// </summary>
    public override Task<DbTransaction> BeginSnapshotReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    private void TraceStatements(SqliteConnection connection)
    {
        if (_statementListener is not { } listener)
        {
            return;
        }
        // SQLite also reports each statement a trigger runs, as a "-- TRIGGER" comment; PRAGMAs are connection
        // set-up and upkeep, not queries.
        raw.sqlite3_trace(connection.Handle, (strdelegate_trace)((_, sql) =>
        {
            if (!sql.StartsWith("--", StringComparison.Ordinal) && !sql.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase))
            {
                listener(sql);
            }
        }), null);
    }
}
