using Blog.Web.Hosting;
using Blog.Web.Hosting.Postgres;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// The instances share through PostgreSQL only where it is the database and no Redis is configured: SQLite is one
/// process, and Redis, when configured too, wins (AddBlogRedis then replaces the same services).
/// </summary>
public sealed class PostgresSetupTests
{
    [Theory]
    [InlineData("PostgreSQL", "", true)]
    [InlineData("postgresql", null, true)]
    [InlineData("PostgreSQL", "redis.internal:6379", false)]
    [InlineData("Sqlite", "", false)]
    [InlineData(null, null, false)]
    public void SharingThroughPostgresIsRegisteredOnlyOnPostgresWithoutRedis(string? provider, string? redis, bool shares)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Blog:Database:Provider"] = provider,
            ["ConnectionStrings:Redis"] = redis,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<CrossInstanceChanges, InProcessChanges>();
        services.AddSingleton<ReaderCacheVersion, InProcessReaderCacheVersion>();

        services.AddBlogPostgresSharing(configuration);

        Assert.Equal(shares, services.Any(s => s.ServiceType == typeof(PostgresChangeListener)));
        Assert.Equal(shares, services.Any(s => s.ServiceType == typeof(IConfigureOptions<KeyManagementOptions>)));
        Assert.Equal(shares ? null : typeof(InProcessChanges), services.Single(s => s.ServiceType == typeof(CrossInstanceChanges)).ImplementationType);
        Assert.Equal(shares ? null : typeof(InProcessReaderCacheVersion), services.Single(s => s.ServiceType == typeof(ReaderCacheVersion)).ImplementationType);
    }
}
