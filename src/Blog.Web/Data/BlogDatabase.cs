using System.Data.Common;

namespace Blog.Web.Data;

/// <summary>The database engines Quire runs on.</summary>
public enum DatabaseEngine
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// The one place connections come from, whatever the engine. Code reaches the database only through this seam, with
/// <see cref="DbConnection"/> and <see cref="DbTransaction"/>; where the two engines need different SQL, the query
/// declares both texts side by side (<see cref="DialectSql"/>) and <see cref="Dialect"/> picks one.
/// </summary>
public abstract class BlogDatabase
{
    public abstract DatabaseEngine Engine { get; }

    public Dialect Dialect => Dialect.Of(Engine);

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a connection and begins a write transaction. Disposing the result without committing rolls it back.
    /// </summary>
    public abstract Task<DatabaseWrite> BeginWriteAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Begins a transaction on <paramref name="connection"/> in which several reads see one state of the database and
    /// no writer is kept waiting.
    /// </summary>
    public abstract Task<DbTransaction> BeginSnapshotReadAsync(DbConnection connection, CancellationToken cancellationToken);
}
