using StackExchange.Redis;

namespace Blog.Web.Hosting.Redis;

/// <summary>
/// Changes told through Redis: a counter per name (read before a cached copy is used, so a copy is never used after
/// the change is committed and counted) and a message on one channel (for copies read where nothing can wait for
/// Redis, such as the address host filtering checks on every request).
/// </summary>
public sealed class RedisChanges(IConnectionMultiplexer redis, ILogger<RedisChanges> logger) : CrossInstanceChanges
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisSetup.KeyPrefix + "changes");

    private readonly ChangeReloads _reloads = new(logger);

    public override async ValueTask<long> VersionAsync(string name, CancellationToken cancellationToken) =>
        (long?)await redis.GetDatabase().StringGetAsync(Key(name)) ?? 0;

    public override async ValueTask ChangedAsync(string name)
    {
        await redis.GetDatabase().StringIncrementAsync(Key(name));
        await redis.GetSubscriber().PublishAsync(Channel, name);
    }

    public override void WhenChangedElsewhere(string name, Func<Task> reload)
    {
        if (_reloads.Add(name, reload))
        {
            // Every instance hears its own messages too: reloading what it just saved costs one read.
            redis.GetSubscriber().Subscribe(Channel, (channel, message) => _ = _reloads.RunAsync(message.ToString()));
        }
    }

    private static RedisKey Key(string name) => RedisSetup.KeyPrefix + "changes:" + name;
}
