using System.Data.Common;

namespace Blog.Web.Hosting.Postgres;

/// <summary>
/// The reader cache's version for instances on one PostgreSQL without Redis. Each instance keeps its own pages, so
/// every eviction is also sent as a notice: the others move their own generation first (a page they are rendering
/// is then not stored) and evict the tag from their own pages. A page cached by another instance may therefore be
/// served stale for as long as the notice takes to arrive (NOTIFY delivery, a few milliseconds), never longer.
/// </summary>
/// <remarks>
/// While the instance cannot listen (before its first connection, or since one was lost), nothing it renders is
/// stored: each reading of the generation moves it. Its pages are dropped when it stops listening and again when it
/// listens anew, so what was said meanwhile cannot leave a stale one behind.
/// </remarks>
public sealed partial class PostgresReaderCacheVersion(PostgresChangeStore store, TimeProvider clock, ILogger<PostgresReaderCacheVersion> logger)
    : ReaderCacheVersion, IChangeNoticeHandler
{
    private long _generation;
    private long _postsChangedAtTicks = clock.GetUtcNow().UtcTicks;
    private volatile bool _listening;
    private Func<string, Task>? _evictHere;

    /// <summary>Each instance counts its own evictions and those it is told of: reading them costs nothing.</summary>
    public override bool IsKeptInThisProcess => true;

    public override ValueTask<long> GenerationAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_listening ? Interlocked.Read(ref _generation) : Interlocked.Increment(ref _generation));

    /// <summary>While not listening, posts may have changed elsewhere just now.</summary>
    public override ValueTask<DateTimeOffset> PostsChangedAtAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_listening ? new DateTimeOffset(Interlocked.Read(ref _postsChangedAtTicks), TimeSpan.Zero) : clock.GetUtcNow());

    public override async ValueTask EvictingAsync(string tag, bool postsChanged, DateTimeOffset now)
    {
        Interlocked.Increment(ref _generation);
        if (postsChanged)
        {
            MovePostsChangedAt(now.UtcTicks);
        }
        try
        {
            await store.NotifyAsync(ChangeNotice.Evicted, tag, postsChanged ? now.UtcTicks : 0, CancellationToken.None);
        }
        catch (DbException ex)
        {
            // The change is saved and this instance evicts its own pages; the others keep theirs at most
            // ReaderCache.Lifetime. Refusing the writer would not undo the change.
            NotTold(logger, ex, tag);
        }
    }

    public override void WhenEvictedElsewhere(Func<string, Task> evictHere) => _evictHere = evictHere;

    public Task HeardAsync(ChangeNotice notice)
    {
        if (notice.Kind != ChangeNotice.Evicted)
        {
            return Task.CompletedTask;
        }
        // First the generation, then the pages: a page rendered before the change must not be stored after its eviction.
        Interlocked.Increment(ref _generation);
        if (notice.Number > 0 && notice.Number <= DateTimeOffset.MaxValue.UtcTicks)
        {
            MovePostsChangedAt(notice.Number);
        }
        return _evictHere?.Invoke(notice.Subject) ?? Task.CompletedTask;
    }

    public Task ListeningAsync(CancellationToken ct)
    {
        _listening = true;
        return EvictEverythingHereAsync();
    }

    public Task DeafAsync()
    {
        _listening = false;
        return EvictEverythingHereAsync();
    }

    private Task EvictEverythingHereAsync()
    {
        Interlocked.Increment(ref _generation);
        MovePostsChangedAt(clock.GetUtcNow().UtcTicks);
        return _evictHere?.Invoke(ReaderCache.EverythingTag) ?? Task.CompletedTask;
    }

    /// <summary>Only ever later: notices from several instances may arrive in any order.</summary>
    private void MovePostsChangedAt(long ticks)
    {
        var known = Interlocked.Read(ref _postsChangedAtTicks);
        while (ticks > known)
        {
            var seen = Interlocked.CompareExchange(ref _postsChangedAtTicks, ticks, known);
            if (seen == known)
            {
                return;
            }
            known = seen;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Could not tell the other instances to evict their reader pages tagged {Tag}")]
    private static partial void NotTold(ILogger logger, Exception exception, string tag);
}
