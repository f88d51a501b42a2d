namespace Blog.Web.Hosting;

/// <summary>
/// What every process serving the blog must agree on about the reader cache (see <see cref="ReaderCache"/>): how
/// many evictions there have been, so a page rendered before one is not stored after it, and when posts last
/// changed (the sitemap's Last-Modified). One process keeps it in memory (<see cref="InProcessReaderCacheVersion"/>);
/// several share it where they share the cache (<see cref="Redis.RedisReaderCacheVersion"/>), or, each keeping its own
/// pages, tell each other of every eviction (<see cref="Postgres.PostgresReaderCacheVersion"/>).
/// </summary>
public abstract class ReaderCacheVersion
{
    /// <summary>True where the version lives in this process's memory, so reading it on every request costs nothing.</summary>
    public virtual bool IsKeptInThisProcess => false;

    /// <summary>Goes up at every eviction.</summary>
    public abstract ValueTask<long> GenerationAsync(CancellationToken cancellationToken);

    /// <summary>The last moment posts, pages or settings changed as far as anyone has said (the process's start, at first).</summary>
    public abstract ValueTask<DateTimeOffset> PostsChangedAtAsync(CancellationToken cancellationToken);

    /// <summary>An eviction of <paramref name="tag"/> is about to happen; <paramref name="postsChanged"/> when it is of everything, at <paramref name="now"/>.</summary>
    public abstract ValueTask EvictingAsync(string tag, bool postsChanged, DateTimeOffset now);

    /// <summary>
    /// Where each process keeps its own pages, <paramref name="evictHere"/> is run with the tag of every eviction made
    /// by another instance. Nothing to do where there is one process, or the pages themselves are shared.
    /// </summary>
    public virtual void WhenEvictedElsewhere(Func<string, Task> evictHere)
    {
    }
}

/// <summary>The reader cache's version for a blog served by one process: two numbers in memory.</summary>
public sealed class InProcessReaderCacheVersion(TimeProvider clock) : ReaderCacheVersion
{
    public override bool IsKeptInThisProcess => true;

    private long _generation;
    private long _postsChangedAtTicks = clock.GetUtcNow().UtcTicks;

    public override ValueTask<long> GenerationAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Interlocked.Read(ref _generation));

    public override ValueTask<DateTimeOffset> PostsChangedAtAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DateTimeOffset(Interlocked.Read(ref _postsChangedAtTicks), TimeSpan.Zero));

    public override ValueTask EvictingAsync(string tag, bool postsChanged, DateTimeOffset now)
    {
        Interlocked.Increment(ref _generation);
        if (postsChanged)
        {
            Interlocked.Exchange(ref _postsChangedAtTicks, now.UtcTicks);
        }
        return ValueTask.CompletedTask;
    }
}
