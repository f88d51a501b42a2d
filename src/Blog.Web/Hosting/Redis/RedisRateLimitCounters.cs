using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Blog.Web.Hosting.Redis;

/// <summary>
/// Rate limits counted in Redis, so that every instance draws on one budget per client: ten sign-in attempts a minute
/// stay ten however the load balancer spreads them. Each count is one short Lua script, atomic in Redis, timed by
/// Redis's own clock so instances whose clocks differ still agree.
/// </summary>
/// <remarks>
/// While Redis cannot be reached, each instance counts in its own memory again, as a single blog does: the limits
/// hold per instance (a client gets at most the budget times the number of instances), and the blog keeps answering.
/// Refusing everything instead (failing closed) would make a Redis outage a blog outage, the owner unable to sign in
/// included; not counting at all (failing open) would lift the guard on passwords for as long as an attacker could
/// keep Redis busy.
/// </remarks>
public sealed partial class RedisRateLimitCounters(IConnectionMultiplexer redis, ILogger<RedisRateLimitCounters> logger) : RateLimitCounters
{
    private static readonly TimeSpan WarnAtMostEvery = TimeSpan.FromMinutes(1);

    private long _lastWarning = long.MinValue;

    public override RateLimiter FixedWindow(string name, FixedWindowRateLimiterOptions options) =>
        new RedisFixedWindowLimiter(this, Key(name), options);

    public override RateLimiter TokenBucket(string name, TokenBucketRateLimiterOptions options) =>
        new RedisTokenBucketLimiter(this, Key(name), options);

    internal IConnectionMultiplexer Redis => redis;

    /// <summary>A count that could not reach Redis: said in the log once a minute at most, however many requests fail.</summary>
    internal void CountedLocally(Exception? exception)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == long.MinValue || Stopwatch.GetElapsedTime(last, now) >= WarnAtMostEvery)
            && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            RedisUnreachable(logger, exception);
        }
    }

    private static RedisKey Key(string name) => RedisSetup.KeyPrefix + "rate:" + name;

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Rate limits cannot be counted in Redis; each instance counts its own until Redis answers again")]
    private static partial void RedisUnreachable(ILogger logger, Exception? exception);
}

/// <summary>
/// What the Redis limiters share: the local limiter they fall back on, and the lease they hand out. A lease's permits
/// are spent when it is granted (windows and buckets refill with time), so disposing one gives nothing back.
/// </summary>
internal abstract class RedisLimiter(RedisRateLimitCounters counters, RateLimiter local) : RateLimiter
{
    private long _lastUsed = Stopwatch.GetTimestamp();

    /// <summary>
    /// Idle when the local fallback is (it holds counts while Redis is away) and nobody asked for a while: the
    /// partitioned limiter then drops this one, and a later request starts a new one over the same Redis key.
    /// </summary>
    public override TimeSpan? IdleDuration =>
        local.IdleDuration is { } localIdle ? TimeSpan.FromTicks(Math.Min(localIdle.Ticks, Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed)).Ticks)) : null;

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>
    /// Not answered synchronously (that would block a thread on Redis): a refusal here sends the caller (the rate
    /// limiting middleware) on to <see cref="AcquireAsyncCore"/>, which asks Redis. Without Redis, the local count.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        counters.Redis.IsConnected ? Lease.NotYetCounted : local.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        if (counters.Redis.IsConnected)
        {
            try
            {
                return await CountAsync(counters.Redis.GetDatabase(), permitCount, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                counters.CountedLocally(ex);
            }
        }
        else
        {
            counters.CountedLocally(null);
        }
        return await local.AcquireAsync(permitCount, cancellationToken);
    }

    /// <summary>Counts <paramref name="permitCount"/> in Redis and says whether they were granted.</summary>
    protected abstract ValueTask<RateLimitLease> CountAsync(IDatabase redis, int permitCount, CancellationToken cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            local.Dispose();
        }
        base.Dispose(disposing);
    }

    internal sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public static readonly Lease NotYetCounted = new(false, null);

        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}

/// <summary>A fixed window shared through Redis: INCRBY on a key that expires with its window.</summary>
internal sealed class RedisFixedWindowLimiter(RedisRateLimitCounters counters, RedisKey key, FixedWindowRateLimiterOptions options)
    : RedisLimiter(counters, new FixedWindowRateLimiter(options))
{
    // The first count of a window starts its expiry; a key somehow left without one gets it here too.
    private const string Script = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[1])
        local left = redis.call('PTTL', KEYS[1])
        if left < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            left = tonumber(ARGV[2])
        end
        return {count, left}
        """;

    protected override async ValueTask<RateLimitLease> CountAsync(IDatabase redis, int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, options.PermitLimit);
        var result = (long[])(await redis.ScriptEvaluateAsync(Script, [key],
            [permitCount, (long)Math.Ceiling(options.Window.TotalMilliseconds)]))!;
        var (count, windowLeftMs) = (result[0], result[1]);
        var granted = permitCount == 0 ? count < options.PermitLimit : count <= options.PermitLimit;
        return granted ? Lease.Granted : new Lease(false, TimeSpan.FromMilliseconds(windowLeftMs));
    }
}

/// <summary>
/// A token bucket shared through Redis. A request that finds the bucket empty may take a token due later, up to the
/// queue's worth: it is granted, and waits here until its token's time, as the in-process bucket queues it.
/// </summary>
internal sealed class RedisTokenBucketLimiter(RedisRateLimitCounters counters, RedisKey key, TokenBucketRateLimiterOptions options)
    : RedisLimiter(counters, new TokenBucketRateLimiter(options))
{
    // Times in microseconds of Redis's clock. tokens below zero are tokens promised to waiting requests; "at" is when
    // the bucket last gained tokens, so promised tokens come in the periods after it.
    private const string Script = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local limit, period, queue, wanted, per = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens, at = tonumber(state[1]), tonumber(state[2])
        if tokens == nil or at == nil then
            tokens, at = limit, now
        end
        local gained = math.floor((now - at) / period)
        if gained > 0 then
            tokens, at = tokens + gained * per, at + gained * period
        end
        if tokens >= limit then
            tokens, at = limit, now
        end
        if tokens - wanted < -queue then
            return {0, at + math.ceil((wanted - queue - tokens) / per) * period - now}
        end
        tokens = tokens - wanted
        redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', at)
        redis.call('PEXPIRE', KEYS[1], math.ceil((limit + queue) * period / 1000) + 1000)
        if tokens >= 0 then
            return {1, 0}
        end
        return {1, at + math.ceil(-tokens / per) * period - now}
        """;

    protected override async ValueTask<RateLimitLease> CountAsync(IDatabase redis, int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, options.TokenLimit);
        var periodMicroseconds = Math.Max(1L, options.ReplenishmentPeriod.Ticks / TimeSpan.TicksPerMicrosecond);
        var result = (long[])(await redis.ScriptEvaluateAsync(Script, [key],
            [options.TokenLimit, periodMicroseconds, options.QueueLimit, permitCount, options.TokensPerPeriod]))!;
        var (granted, waitMicroseconds) = (result[0] == 1, result[1]);
        if (!granted)
        {
            return new Lease(false, TimeSpan.FromMicroseconds(waitMicroseconds));
        }
        if (waitMicroseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMicroseconds(waitMicroseconds), cancellationToken);
        }
        return Lease.Granted;
    }
}
