using StackExchange.Redis;

namespace Blog.Web.Hosting.Redis;

/// <summary>
/// Changes told through Redis: a counter per name (read before a cached copy is used, so a copy is never used after
/// the change is committed and counted) and a message on one channel (for copies read where nothing can wait for
/// Redis, such as the address host filtering checks on every request).
/// </summary>
public sealed partial class RedisChanges(IConnectionMultiplexer redis, ILogger<RedisChanges> logger) : CrossInstanceChanges
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisSetup.KeyPrefix + "changes");

    private readonly Lock _subscribing = new();
    private readonly Dictionary<string, List<Func<Task>>> _reloads = [];
    private bool _subscribed;

    public override async ValueTask<long> VersionAsync(string name, CancellationToken cancellationToken) =>
        (long?)await redis.GetDatabase().StringGetAsync(Key(name)) ?? 0;

    public override async ValueTask ChangedAsync(string name)
    {
        await redis.GetDatabase().StringIncrementAsync(Key(name));
        await redis.GetSubscriber().PublishAsync(Channel, name);
    }

    public override void WhenChangedElsewhere(string name, Func<Task> reload)
    {
        lock (_subscribing)
        {
            if (!_reloads.TryGetValue(name, out var reloads))
            {
                _reloads[name] = reloads = [];
            }
            reloads.Add(reload);
            if (_subscribed)
            {
                return;
            }
            _subscribed = true;
        }
        // Every instance hears its own messages too: reloading what it just saved costs one read.
        redis.GetSubscriber().Subscribe(Channel, (channel, message) => _ = ReloadAsync(message.ToString()));
    }

    private async Task ReloadAsync(string name)
    {
        List<Func<Task>> reloads;
        lock (_subscribing)
        {
            reloads = _reloads.TryGetValue(name, out var registered) ? [.. registered] : [];
        }
        foreach (var reload in reloads)
        {
            try
            {
                await reload();
            }
            catch (Exception ex)
            {
                ReloadFailed(logger, ex, name);
            }
        }
    }

    private static RedisKey Key(string name) => RedisSetup.KeyPrefix + "changes:" + name;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Could not reload {Name} after another instance changed it")]
    private static partial void ReloadFailed(ILogger logger, Exception exception, string name);
}
