using Blog.Web.Tests.Features.OnPostgres;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Two instances of the blog on one PostgreSQL database and no Redis, each with a data folder of its own (so nothing
/// reaches the other through the folder), as behind a load balancer without sticky sessions. The database is new and
/// empty: the instances migrate it as they start, one after the other or both at once.
/// </summary>
public sealed class TwoInstancesOnOnePostgres : IAsyncDisposable
{
    private TwoInstancesOnOnePostgres(PostgresTestDatabase database, IReadOnlyDictionary<string, string?> settings)
    {
        Database = database;
        First = Instance(settings);
        Second = Instance(settings);
    }

    public PostgresTestDatabase Database { get; }

    public PostgresAppFactory First { get; }

    public PostgresAppFactory Second { get; }

    public static async Task<TwoInstancesOnOnePostgres> StartAsync(IReadOnlyDictionary<string, string?> settings, bool together = false)
    {
        var blog = new TwoInstancesOnOnePostgres(await PostgresTestDatabase.CreateAsync(), settings);
        if (together)
        {
            await Task.WhenAll(Task.Run(() => _ = blog.First.Services), Task.Run(() => _ = blog.Second.Services));
        }
        else
        {
            _ = blog.First.Services;
            _ = blog.Second.Services;
        }
        return blog;
    }

    public async ValueTask DisposeAsync()
    {
        // The apps first: the database cannot be dropped while they hold connections.
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await Database.DisposeAsync();
    }

    private PostgresAppFactory Instance(IReadOnlyDictionary<string, string?> settings)
    {
        var app = new PostgresAppFactory(Database);
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }
        return app;
    }
}
