using Blog.Web.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Blog.Web.Data;

public static class DataSetup
{
    public static IServiceCollection AddBlogData(this IServiceCollection services)
    {
        DapperSetup.Configure();
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidation>();
        services.AddSingleton<BlogDatabase>(OpenChosenDatabase);
        // Backup, restore and the statement listener are SQLite's own by nature.
        services.AddSingleton(provider => provider.GetRequiredService<BlogDatabase>() as SqliteDatabase
            ?? throw new InvalidOperationException(
                "This needs the SQLite database, and Blog:Database:Provider is PostgreSQL: it is not available on PostgreSQL yet."));
        services.AddSingleton<IReadOnlyList<Migration>>(_ => Migration.FromEmbeddedResources(typeof(Migration).Assembly));
        services.AddSingleton<Migrator>();
        services.AddSingleton<SchemaMigrator>(ChooseMigrator);
        services.AddSingleton<DatabaseBackup>();
        services.AddSingleton<DatabaseRestore>();
        return services;
    }

    private static BlogDatabase OpenChosenDatabase(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (options.Engine == DatabaseEngine.PostgreSql)
        {
            return new PostgresDatabase(PostgresSourceBuilder(options.ConnectionString!)
                .UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>())
                .Build());
        }
        return new SqliteDatabase(provider.GetRequiredService<DataFolder>());
    }

    /// <summary>
    /// Npgsql for the blog's connection string, preparing the statements a connection runs again and again unless the
    /// string says otherwise (<c>Max Auto Prepare</c>). The blog's statements are a fixed set, so each connection soon
    /// has them all prepared and PostgreSQL stops parsing and planning them on every request (for a comment, a dozen
    /// statements, planning was a fifth of the database's time).
    /// </summary>
    internal static NpgsqlDataSourceBuilder PostgresSourceBuilder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        }
        return builder;
    }

    /// <summary>Statements kept prepared per connection: more than the blog has hot ones.</summary>
    internal const int AutoPreparedStatements = 100;

    private static SchemaMigrator ChooseMigrator(IServiceProvider provider) =>
        provider.GetRequiredService<BlogDatabase>() is PostgresDatabase postgres
            ? new PostgresMigrator(
                postgres.DataSource,
                Migration.FromEmbeddedResources(typeof(Migration).Assembly, Migration.PostgresFolder),
                provider.GetRequiredService<ILogger<PostgresMigrator>>())
            : provider.GetRequiredService<Migrator>();

    /// <summary>
    /// Marks the data folder as in use by this running blog (see <see cref="DataFolder.TryTakeRunningLock"/>), then
    /// applies pending migrations before the app takes its first request. False when a migration failed: that is
    /// logged as one critical line naming the file and the engine's reason, and the blog must not start.
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
            await app.Services.GetRequiredService<SchemaMigrator>().ApplyAsync(app.Lifetime.ApplicationStopping);
            return true;
        }
        catch (MigrationFailedException ex)
        {
            // An expected failure with a known cause (a bad file, or a database that is not Quire's): the owner
            // needs the file and the engine's reason, not a stack trace, so the exception itself is not logged.
            logger.LogCritical(
                "Database migration {FileName} failed and was rolled back, so the blog did not start: {Reason}",
                ex.FileName,
                ex.InnerException?.Message);
            runningLock?.Dispose();
            return false;
        }
        catch (NpgsqlException ex)
        {
            // The server is down, refuses the login or names no such database: a setting to fix, not a bug.
            logger.LogCritical("The PostgreSQL database could not be reached, so the blog did not start: {Reason}", ex.Message);
            runningLock?.Dispose();
            return false;
        }
    }
}
