using System.Data;
using System.Data.Common;
using Npgsql;

namespace Blog.Web.Data;

/// <summary>
/// The blog's PostgreSQL database, through one pooled <see cref="NpgsqlDataSource"/> disposed with the app. Writes do
/// not take turns in the process as on SQLite: each runs in a READ COMMITTED transaction and several app instances
/// may write at once, so writers coordinate in the database (constraints, row locks).
/// </summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource) : BlogDatabase, IAsyncDisposable, IDisposable
{
    public override DatabaseEngine Engine => DatabaseEngine.PostgreSql;

    /// <summary>The pool itself, for what needs an <see cref="NpgsqlConnection"/> (the migrator's session lock).</summary>
    public NpgsqlDataSource DataSource => dataSource;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<DatabaseWrite> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return new DatabaseWrite(connection, transaction, turn: null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>REPEATABLE READ takes one snapshot for the whole transaction; readers never block writers.</summary>
    public override async Task<DbTransaction> BeginSnapshotReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}
