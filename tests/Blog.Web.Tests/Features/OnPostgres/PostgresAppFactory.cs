using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Blog.Web.Tests.Features.OnPostgres;

/// <summary>
/// The real app with <c>Blog:Database:Provider=PostgreSQL</c> on an empty database of its own (migrated by the app as
/// it starts), dropped once the app is gone. Pass a database to start a second instance on the same one.
/// </summary>
public sealed class PostgresAppFactory : BlogAppFactory, IAsyncLifetime
{
    private readonly bool _ownsDatabase;

    public PostgresAppFactory()
    {
        _ownsDatabase = true;
    }

    public PostgresAppFactory(PostgresTestDatabase database)
    {
        Use(database);
    }

    public PostgresTestDatabase Database { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        if (_ownsDatabase)
        {
            Use(await PostgresTestDatabase.CreateAsync());
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // The app's pool first: the database cannot be dropped while it holds connections.
        await DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }

    private void Use(PostgresTestDatabase database)
    {
        Database = database;
        Settings["Blog:Database:Provider"] = "PostgreSQL";
        Settings["ConnectionStrings:Blog"] = database.ConnectionString;
        ConfigureLogging = logging => logging.AddProvider(Logs);
    }
}
