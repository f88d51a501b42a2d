using StackExchange.Redis;

namespace Blog.Web.Hosting.Redis;

/// <summary>
/// The reader cache's version kept in Redis beside the cached pages, so that an eviction by any instance keeps
/// every instance from storing a page it rendered before the change. Read once when a page starts rendering and
/// once before it is stored (never on a cache hit); written at each eviction.
/// </summary>
public sealed class RedisReaderCacheVersion(IConnectionMultiplexer redis, TimeProvider clock) : ReaderCacheVersion
{
    private static readonly RedisKey GenerationKey = RedisSetup.KeyPrefix + "reader-cache:generation";
    private static readonly RedisKey PostsChangedAtKey = RedisSetup.KeyPrefix + "reader-cache:posts-changed-at";

    /// <summary>Until some instance has changed a post, the sitemap dates from this instance's start, as with one process.</summary>
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();

    public override async ValueTask<long> GenerationAsync(CancellationToken cancellationToken) =>
        (long?)await redis.GetDatabase().StringGetAsync(GenerationKey) ?? 0;

    public override async ValueTask<DateTimeOffset> PostsChangedAtAsync(CancellationToken cancellationToken)
    {
        var ticks = (long?)await redis.GetDatabase().StringGetAsync(PostsChangedAtKey);
        return ticks is { } changed && changed > _startedAt.UtcTicks ? new DateTimeOffset(changed, TimeSpan.Zero) : _startedAt;
    }

    public override async ValueTask EvictingAsync(string tag, bool postsChanged, DateTimeOffset now)
    {
        var database = redis.GetDatabase();
        await database.StringIncrementAsync(GenerationKey);
        if (postsChanged)
        {
            await database.StringSetAsync(PostsChangedAtKey, now.UtcTicks);
        }
    }
}
