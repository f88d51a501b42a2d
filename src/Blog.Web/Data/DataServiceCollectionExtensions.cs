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

    /// <summary>Applies pending migrations before the app takes its first request; a failure stops startup.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<Migrator>().ApplyAsync(app.Lifetime.ApplicationStopping);
    }
}
