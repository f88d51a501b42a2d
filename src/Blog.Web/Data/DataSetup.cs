using Blog.Web.Hosting;

namespace Blog.Web.Data;

public static class DataSetup
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
    /// applies pending migrations before the app takes its first request. False when a migration failed: that is
    /// logged as one critical line naming the file and SQLite's reason, and the blog must not start.
    /// </summary>
    public static async Task<bool> TryMigrateDatabaseAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quire");
        var runningLock = app.Services.GetRequiredService<DataFolder>().TryTakeRunningLock();
        if (runningLock is null)
        {
            logger.LogWarning("Another running blog seems to be using this data folder.");
        }
        else
        {
            app.Lifetime.ApplicationStopped.Register(runningLock.Dispose);
        }
        try
        {
            await app.Services.GetRequiredService<Migrator>().ApplyAsync(app.Lifetime.ApplicationStopping);
            return true;
        }
        catch (MigrationFailedException ex)
        {
            // An expected failure with a known cause (a bad file, or a database that is not Quire's): the owner
            // needs the file and SQLite's reason, not a stack trace, so the exception itself is not logged.
            logger.LogCritical(
                "Database migration {FileName} failed and was rolled back, so the blog did not start: {Reason}",
                ex.FileName,
                ex.InnerException?.Message);
            runningLock?.Dispose();
            return false;
        }
    }
}
