using Blog.Web.Data;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Data;

/// <summary>Which engine the blog runs on, chosen by Blog:Database:Provider and ConnectionStrings:Blog.</summary>
public sealed class DatabaseProviderTests
{
    // The default engine: the PostgreSQL pass gives every app its PostgreSQL database instead.
    [Trait("Database", "Sqlite")]
    [Fact]
    public async Task WithoutAProviderTheBlogRunsOnItsSqliteFile()
    {
        await using var app = new BlogAppFactory();

        var database = app.Services.GetRequiredService<BlogDatabase>();

        Assert.Equal(DatabaseEngine.Sqlite, database.Engine);
        Assert.Same(database, app.Services.GetRequiredService<SqliteDatabase>());
        Assert.Equal(app.DatabasePath, ((SqliteDatabase)database).DatabasePath);
    }

    [Fact]
    public async Task AnUnknownProviderStopsTheStartNamingIt()
    {
        await using var app = new BlogAppFactory { Settings = { ["Blog:Database:Provider"] = "MySql" } };

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);

        Assert.Contains("Blog:Database:Provider is 'MySql'; it must be Sqlite (the default) or PostgreSQL.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSqlWithoutAConnectionStringStopsTheStartSayingWhatIsMissing()
    {
        await using var app = new BlogAppFactory { Settings = { ["Blog:Database:Provider"] = "PostgreSQL" } };

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);

        Assert.Contains("ConnectionStrings:Blog (env ConnectionStrings__Blog) is not set", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSqlIsChosenWhateverTheCaseAndAnUnreachableServerStopsTheStartInOneLine()
    {
        var logs = new CapturedLogs();
        await using var app = new BlogAppFactory
        {
            Settings =
            {
                ["Blog:Database:Provider"] = "postgresql",
                // Nothing listens on port 1: the migrator's first connection fails.
                ["ConnectionStrings:Blog"] = "Host=127.0.0.1;Port=1;Database=quire;Username=quire;Timeout=3",
            },
            ConfigureLogging = logging => logging.AddProvider(logs),
        };

        Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var critical = Assert.Single(logs.Lines, line => line.StartsWith("Critical", StringComparison.Ordinal));
        Assert.Contains("The PostgreSQL database could not be reached, so the blog did not start", critical, StringComparison.Ordinal);
    }

    // The default engine: the PostgreSQL pass gives every app its PostgreSQL database instead.
    [Trait("Database", "Sqlite")]
    [Fact]
    public async Task OnSqliteTheSchemaMigratorIsSqlites()
    {
        await using var app = new BlogAppFactory();

        Assert.Same(app.Services.GetRequiredService<Migrator>(), app.Services.GetRequiredService<SchemaMigrator>());
    }

    [Theory]
    [InlineData("Sqlite", DatabaseEngine.Sqlite)]
    [InlineData(" SQLITE ", DatabaseEngine.Sqlite)]
    [InlineData("PostgreSQL", DatabaseEngine.PostgreSql)]
    [InlineData("postgresql", DatabaseEngine.PostgreSql)]
    public void TheProviderNameIsReadWhateverItsCase(string provider, DatabaseEngine engine) =>
        Assert.Equal(engine, new DatabaseOptions { Provider = provider }.Engine);

    [Theory]
    [InlineData("")]
    [InlineData("Postgres")]
    [InlineData("sqlite3")]
    [InlineData("SQL Server")]
    public void OtherProviderNamesAreRefused(string provider)
    {
        var result = new DatabaseOptionsValidation().Validate(null, new DatabaseOptions { Provider = provider });

        Assert.True(result.Failed);
        Assert.Contains($"'{provider}'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db.example;Database=quire;Username=quire", DataSetup.AutoPreparedStatements)]
    [InlineData("Host=db.example;Database=quire;Username=quire;Max Auto Prepare=0", 0)]
    [InlineData("Host=db.example;Database=quire;Username=quire;maxautoprepare=20", 20)]
    public void OnPostgreSqlRepeatedStatementsArePreparedUnlessTheConnectionStringSaysOtherwise(string connectionString, int prepared) =>
        Assert.Equal(prepared, DataSetup.PostgresSourceBuilder(connectionString).ConnectionStringBuilder.MaxAutoPrepare);

    [Fact]
    public void EachDialectRunsItsOwnTextOfAStatement()
    {
        var sql = new DialectSql(Sqlite: "SELECT 1 WHERE x IN @Ids", PostgreSql: "SELECT 1 WHERE x = ANY(@Ids)");

        Assert.Equal(sql.Sqlite, Dialect.Of(DatabaseEngine.Sqlite).Text(sql));
        Assert.Equal(sql.PostgreSql, Dialect.Of(DatabaseEngine.PostgreSql).Text(sql));
    }
}
