using System.Net;
using System.Threading.RateLimiting;
using Blog.Web.Hosting.Redis;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// Two instances of the blog on one database and one Redis share each client's rate limits: attempts spread over
/// both by a load balancer are refused at the configured total, not at twice it.
/// </summary>
[Trait("Needs", "Redis")]
public sealed class SharedRateLimitTests : IDisposable
{
    private readonly TwoInstancesOnOneRedis _blog = new(new Dictionary<string, string?>
    {
        ["Blog:RateLimits:SignInPerMinute"] = "4",
        // One page rendered in ten seconds: a second rendered page within the test is over the share.
        ["Blog:RateLimits:ReaderPagesPerMinute"] = "6",
    });

    [Fact]
    public async Task SignInAttemptsSplitBetweenTwoInstancesAreRefusedAtTheConfiguredTotal()
    {
        using var onFirst = new BlogClient(_blog.First);
        using var onSecond = new BlogClient(_blog.Second);
        var statuses = new List<HttpStatusCode>();

        for (var attempt = 0; attempt < 6; attempt++)
        {
            var client = attempt % 2 == 0 ? onFirst : onSecond;
            using var response = await client.SubmitFormAsync("/account/sign-in", new Dictionary<string, string>
            {
                ["Email"] = "nobody@example.test",
                ["Password"] = "not the password " + attempt,
            });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task ReaderPagesRenderedByEitherInstanceComeOutOfOneBucket()
    {
        using var readerOfFirst = new BlogClient(_blog.First);
        using var readerOfSecond = new BlogClient(_blog.Second);

        using var rendered = await readerOfFirst.GetAsync("/search?q=first");
        using var refused = await readerOfSecond.GetAsync("/search?q=second");

        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task WhileRedisIsDownEachInstanceCountsOnItsOwnAndTheLogSaysSoOnce()
    {
        using var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        var server = RedisProcess.Start();
        using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.Address},abortConnect=false,syncTimeout=1000,asyncTimeout=1000,connectRetry=0");
        var counters = new RedisRateLimitCounters(redis, loggers.CreateLogger<RedisRateLimitCounters>());
        using var limiter = counters.FixedWindow("sign-in:192.0.2.7", new FixedWindowRateLimiterOptions
        {
            PermitLimit = 3,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

        var whileUp = await AcquireAsync(limiter, 2);
        var counted = (long)await redis.GetDatabase().StringGetAsync("quire:rate:sign-in:192.0.2.7");
        server.Dispose();
        var whileDown = await AcquireAsync(limiter, 4);

        Assert.Equal([true, true], whileUp);
        Assert.Equal(2, counted);
        // Neither refused outright nor unlimited: the instance's own window of three.
        Assert.Equal([true, true, true, false], whileDown);
        Assert.Single(logs.Lines, line => line.Contains("cannot be counted in Redis", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABucketSharedThroughRedisLetsARequestJustOverItsShareWaitForItsToken()
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(_blog.Redis);
        using var loggers = LoggerFactory.Create(_ => { });
        var counters = new RedisRateLimitCounters(redis, loggers.CreateLogger<RedisRateLimitCounters>());
        // Two in reserve, one more every 200 ms, and one request may wait for it.
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = 2,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(200),
            QueueLimit = 1,
            AutoReplenishment = true,
        };
        using var onFirst = counters.TokenBucket("reader-pages:address:192.0.2.8", options);
        using var onSecond = counters.TokenBucket("reader-pages:address:192.0.2.8", options);

        using var reserve1 = await onFirst.AcquireAsync();
        using var reserve2 = await onSecond.AcquireAsync();
        var waiting = onFirst.AcquireAsync().AsTask();
        using var refused = await onSecond.AcquireAsync();
        var waitedFor = waiting.IsCompleted;
        using var served = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(reserve1.IsAcquired);
        Assert.True(reserve2.IsAcquired);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero);
        Assert.False(waitedFor);
        Assert.True(served.IsAcquired);
        redis.Dispose();
    }

    public void Dispose() => _blog.Dispose();

    private static async Task<List<bool>> AcquireAsync(RateLimiter limiter, int times)
    {
        var granted = new List<bool>();
        for (var i = 0; i < times; i++)
        {
            using var lease = await limiter.AcquireAsync();
            granted.Add(lease.IsAcquired);
        }
        return granted;
    }
}
