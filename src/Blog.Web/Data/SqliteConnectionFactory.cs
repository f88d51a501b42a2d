using Blog.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// The one place connections come from. Every connection enforces foreign keys, waits on a busy database
/// instead of failing at once, and uses WAL's recommended <c>synchronous=NORMAL</c>.
/// </summary>
public sealed class SqliteConnectionFactory
{
    /// <summary>How long a writer waits for another writer's lock before giving up.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    public SqliteConnectionFactory(DataFolder dataFolder)
        : this(dataFolder.DatabasePath)
    {
    }

    public SqliteConnectionFactory(string databasePath)
        : this(databasePath, SqliteOpenMode.ReadWriteCreate)
    {
    }

    /// <summary>
    /// A factory opening every connection in <paramref name="mode"/>. <see cref="SqliteOpenMode.ReadOnly"/> is how a
    /// test sees the blog on a database it may not write: SQLite itself then refuses each write with SQLITE_READONLY,
    /// as it does for a file on a read-only file system.
    /// </summary>
    public SqliteConnectionFactory(string databasePath, SqliteOpenMode mode)
    {
        DatabasePath = databasePath;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = mode,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
