using System.Threading.RateLimiting;

namespace Blog.Web.Hosting;

/// <summary>
/// Where the rate limits (<see cref="RateLimits"/>) count. This one counts in the process, which is right for one
/// instance; with Redis configured, <see cref="Redis.RedisRateLimitCounters"/> replaces it so that every instance
/// behind a load balancer draws on one budget per client instead of a budget each.
/// </summary>
public class RateLimitCounters
{
    /// <summary>The counters of a blog that runs as one process.</summary>
    public static readonly RateLimitCounters InProcess = new();

    /// <summary>
    /// A fixed window for the partition <paramref name="name"/> (the policy and the client: unique across the blog,
    /// so counters of different policies never mix).
    /// </summary>
    public virtual RateLimiter FixedWindow(string name, FixedWindowRateLimiterOptions options) => new FixedWindowRateLimiter(options);

    /// <summary>A token bucket for the partition <paramref name="name"/>.</summary>
    public virtual RateLimiter TokenBucket(string name, TokenBucketRateLimiterOptions options) => new TokenBucketRateLimiter(options);
}
