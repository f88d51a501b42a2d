using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Blog.Web.Hosting.Redis;

/// <summary>
/// With <c>ConnectionStrings:Redis</c> set, what several instances of the blog behind one load balancer must share
/// moves to that Redis: the data-protection keys (a sign-in cookie or antiforgery token made by one instance is
/// read by every other), the reader cache (its pages, their evictions by tag, and its version) and word of changes
/// to what each process keeps in memory (settings, the blog's address) and the rate-limit counts, so a change saved through any instance is
/// what the next reader sees on every instance. Without it, each process
/// keeps these itself, as a blog on one machine should.
/// </summary>
public static class RedisSetup
{
    public const string ConnectionStringName = "Redis";

    /// <summary>Every key the blog writes starts with this, so one Redis can serve other things too.</summary>
    public const string KeyPrefix = "quire:";

    /// <summary>
    /// Registered after the per-process versions (last in Program.cs), so that these replace them: the options
    /// configured here run after the data folder's key repository is set, and the stores are swapped.
    /// </summary>
    public static IServiceCollection AddBlogRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }
        var redisOptions = Parse(connectionString);
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));

        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), KeyPrefix + "data-protection-keys"));

        services.RemoveAll<IOutputCacheStore>();
        services.AddStackExchangeRedisOutputCache(_ => { });
        services.AddOptions<RedisOutputCacheOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
        {
            options.InstanceName = KeyPrefix + "pages:";
            options.ConnectionMultiplexerFactory = () => Task.FromResult(redis);
        });
        services.RemoveAll<ReaderCacheVersion>();
        services.AddSingleton<ReaderCacheVersion, RedisReaderCacheVersion>();
        services.RemoveAll<CrossInstanceChanges>();
        services.AddSingleton<CrossInstanceChanges, RedisChanges>();
        services.RemoveAll<RateLimitCounters>();
        services.AddSingleton<RateLimitCounters, RedisRateLimitCounters>();
        return services;
    }

    /// <summary>StackExchange.Redis's configuration string (e.g. <c>redis.internal:6379,password=…</c>), read at start.</summary>
    private static ConfigurationOptions Parse(string connectionString)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(ConnectionStringName, typeof(ConfigurationOptions),
                [$"ConnectionStrings:Redis is not a Redis configuration string (e.g. localhost:6379): {ex.Message}"]);
        }
        // Started together with Redis (or while it restarts), the blog keeps trying in the background rather than
        // refusing to start; requests that need it fail until it answers.
        options.AbortOnConnectFail = false;
        options.ClientName = "quire";
        return options;
    }
}
