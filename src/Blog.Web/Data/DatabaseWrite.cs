using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// A connection with a write transaction begun, holding this process's turn to write (see
/// <see cref="SqliteConnectionFactory.BeginWriteAsync"/>). Disposing it without <see cref="CommitAsync"/> rolls the
/// transaction back; either way the next writer's turn starts once it is disposed.
/// </summary>
public sealed class DatabaseWrite : IAsyncDisposable
{
    private readonly SemaphoreSlim _turn;
    private bool _disposed;

    internal DatabaseWrite(SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim turn)
    {
        Connection = connection;
        Transaction = transaction;
        _turn = turn;
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            _turn.Release();
        }
    }
}
