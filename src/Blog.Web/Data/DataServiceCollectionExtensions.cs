using Blog.Web.Hosting;

namespace Blog.Web.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddBlogData(this IServiceCollection services)
    {
        DapperSetup.Configure();
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<IReadOnlyList<Migration>>(_ => Migration.FromEmbeddedResources(typeof(Migration).Assembly));
        services.AddSingleton<Migrator>();
        services.AddSingleton<DatabaseBackup>();
        services.AddSingleton<DatabaseRestore>();
        return services;
    }

    /// <summary>
    /// Marks the data folder as in use by this running blog (see <see cref="DataFolder.TryTakeRunningLock"/>), then
    /// applies pending migrations before the app takes its first request; a failed migration stops startup.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var runningLock = app.Services.GetRequiredService<DataFolder>().TryTakeRunningLock();
        if (runningLock is null)
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quire")
                .LogWarning("Another running blog seems to be using this data folder.");
        }
        else
        {
            app.Lifetime.ApplicationStopped.Register(runningLock.Dispose);
        }
        await app.Services.GetRequiredService<Migrator>().ApplyAsync(app.Lifetime.ApplicationStopping);
    }
}
