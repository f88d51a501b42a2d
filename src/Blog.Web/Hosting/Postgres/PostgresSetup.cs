using Blog.Web.Data;
using Blog.Web.Hosting.Redis;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Web.Hosting.Postgres;

/// <summary>
/// On PostgreSQL without Redis, what several instances of the blog must agree on goes through the database they
/// share: the data-protection keys (a table), word of changes to what each process keeps in memory (the settings,
/// the blog's address) and every reader-cache eviction (counters and NOTIFY, heard on one listening connection per
/// instance). Each instance keeps its own reader pages and evicts them when told, a few milliseconds after the change.
/// The rate-limit counts stay each instance's own. With Redis configured too, Redis does all of this instead.
/// </summary>
public static class PostgresSetup
{
    /// <summary>Registered before <see cref="RedisSetup.AddBlogRedis"/>, after the per-process versions, which these replace.</summary>
    public static IServiceCollection AddBlogPostgresSharing(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(RedisSetup.ConnectionStringName))
            || new DatabaseOptions { Provider = configuration[DatabaseOptions.SectionName + ":Provider"] ?? "Sqlite" }.Engine != DatabaseEngine.PostgreSql)
        {
            return services;
        }
        services.AddOptions<KeyManagementOptions>().Configure<BlogDatabase, TimeProvider>((options, db, clock) =>
            options.XmlRepository = new PostgresXmlRepository(((PostgresDatabase)db).DataSource, clock));

        services.AddSingleton<PostgresChangeStore>();
        services.AddSingleton<PostgresChanges>();
        services.RemoveAll<CrossInstanceChanges>();
        services.AddSingleton<CrossInstanceChanges>(provider => provider.GetRequiredService<PostgresChanges>());
        services.AddSingleton<IChangeNoticeHandler>(provider => provider.GetRequiredService<PostgresChanges>());
        services.AddSingleton<PostgresReaderCacheVersion>();
        services.RemoveAll<ReaderCacheVersion>();
        services.AddSingleton<ReaderCacheVersion>(provider => provider.GetRequiredService<PostgresReaderCacheVersion>());
        services.AddSingleton<IChangeNoticeHandler>(provider => provider.GetRequiredService<PostgresReaderCacheVersion>());
        services.AddSingleton<PostgresChangeListener>();
        services.AddHostedService(provider => provider.GetRequiredService<PostgresChangeListener>());
        return services;
    }
}
