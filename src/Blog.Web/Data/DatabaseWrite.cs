using System.Data.Common;

namespace Blog.Web.Data;

/// <summary>
/// A connection with a write transaction begun (see <see cref="BlogDatabase.BeginWriteAsync"/>); on SQLite it also
/// holds this process's turn to write. Disposing it without <see cref="CommitAsync"/> rolls the transaction back;
/// either way the next writer's turn starts once it is disposed.
/// </summary>
public sealed class DatabaseWrite : IAsyncDisposable
{
    private readonly SemaphoreSlim? _turn;
    private List<Action>? _whenCommitted;
    private bool _disposed;

    internal DatabaseWrite(DbConnection connection, DbTransaction transaction, SemaphoreSlim? turn)
    {
        Connection = connection;
        Transaction = transaction;
        _turn = turn;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        _whenCommitted?.ForEach(action => action());
    }

    /// <summary>
    /// Runs <paramref name="action"/> right after the commit, and not at all if the transaction rolls back: for
    /// telling someone about rows they can only see once committed (see <see cref="Mail.MailOutbox"/>).
    /// </summary>
    public void WhenCommitted(Action action) => (_whenCommitted ??= []).Add(action);

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
            _turn?.Release();
        }
    }
}
