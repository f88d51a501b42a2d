using Blog.Web.Data;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// Hosts the real app on its own temporary data folder (database, keys, mail), so every test class starts
/// from a fresh blog. Pass a folder to host a second app on the same data, as after a restart.
/// </summary>
public class BlogAppFactory : WebApplicationFactory<Program>
{
    private readonly bool _ownsDataFolder;

    public BlogAppFactory()
        : this(TestDataFolder.Create(), ownsDataFolder: true)
    {
    }

    /// <summary>An app on an existing data folder, which the caller cleans up (xUnit fixtures need one public constructor).</summary>
    internal BlogAppFactory(string dataDirectory, bool ownsDataFolder = false)
    {
        DataDirectory = dataDirectory;
        _ownsDataFolder = ownsDataFolder;
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "blog.db");

    /// <summary>Replaces the embedded migrations, for tests of how startup handles a bad one.</summary>
    public IReadOnlyList<Migration>? Migrations { get; init; }

    /// <summary>Extra logging setup, e.g. a provider that captures what the app logs.</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>Extra configuration, applied over the test defaults.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config =>
        {
            config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Blog:DataDirectory"] = DataDirectory,
                // The in-process client's own address, as a real install configures its public one: links in pages,
                // feeds and mail start with it, and host filtering is on. Tests of an unconfigured blog set it to "".
                ["Blog:BaseUrl"] = "http://localhost",
                // Every test client shares one address; tests of the limits themselves lower these again.
                ["Blog:RateLimits:SignInPerMinute"] = "100000",
                ["Blog:RateLimits:RegisterPerMinute"] = "100000",
                ["Blog:RateLimits:ForgotPasswordPerMinute"] = "100000",
                ["Blog:RateLimits:ReaderPagesPerMinute"] = "10000000",
            });
            config.AddInMemoryCollection(RunEngineSettings);
            config.AddInMemoryCollection(Settings);
        });
        if (ConfigureLogging is { } configureLogging)
        {
            builder.ConfigureLogging(configureLogging);
        }
        if (Migrations is { } migrations)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(migrations)));
        }
    }

    /// <summary>
    /// The engine of this test run (tests/run.sh's PostgreSQL pass sets it): on PostgreSQL, the folder's own database.
    /// A test that chooses the engine itself (tests of that setting) gets exactly what it chose.
    /// </summary>
    private IReadOnlyDictionary<string, string?> RunEngineSettings => Settings.ContainsKey("Blog:Database:Provider")
        ? new Dictionary<string, string?>()
        : TestDatabase.AppSettings(DataDirectory);

    /// <summary>
    /// Tells the app that data changed behind its back, as every write path of the app itself does, so that
    /// anonymous readers' cached pages are dropped. Tests that write with SQL and then read as a reader call it.
    /// </summary>
    public void ForgetCachedPages() =>
        Services.GetRequiredService<ReaderCache>().EverythingChangedAsync().GetAwaiter().GetResult();

    /// <summary>A connection to the app's database: on the engine this test run uses, unless the test chose SQLite or a PostgreSQL database of its own.</summary>
    public DbConnection OpenDatabase()
    {
        var chosen = Settings.TryGetValue("Blog:Database:Provider", out var provider) ? new DatabaseOptions { Provider = provider ?? "" }.Engine : null;
        if (chosen == DatabaseEngine.Sqlite)
        {
            return TestDatabase.Open(DataDirectory, DatabaseEngine.Sqlite);
        }
        // An app the test pointed at a PostgreSQL database of its own (one several instances share).
        if (chosen == DatabaseEngine.PostgreSql && Settings.TryGetValue("ConnectionStrings:Blog", out var own) && !string.IsNullOrEmpty(own))
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(own) { Pooling = false }.ConnectionString);
            connection.Open();
            return connection;
        }
        return TestDatabase.Open(DataDirectory);
    }

    /// <summary>
    /// The test's settings as host configuration too: the app reads a few settings while it registers its services
    /// (e.g. <c>ConnectionStrings:Redis</c>), before the app configuration above is applied.
    /// </summary>
    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(config =>
        {
            config.AddInMemoryCollection(RunEngineSettings);
            config.AddInMemoryCollection(Settings);
        });
        return base.CreateHost(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataFolder)
        {
            TestDataFolder.Delete(DataDirectory);
        }
    }
}
