using Blog.Web.Data;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Blog.Web.Tests.Data;

public sealed class MigratorTests : IDisposable
{
    private readonly string _folder = TestDataFolder.Create();

    private SqliteConnectionFactory Database => new(Path.Combine(_folder, "blog.db"));

    private Migrator MigratorFor(IReadOnlyList<Migration> migrations) =>
        new(Database, migrations, NullLogger<Migrator>.Instance);

    private static IReadOnlyList<Migration> Embedded => Migration.FromEmbeddedResources(typeof(Migration).Assembly);

    public void Dispose() => TestDataFolder.Delete(_folder);

    [Fact]
    public async Task FreshDatabaseGetsEveryMigrationAndTheSettingsTable()
    {
        var applied = await MigratorFor(Embedded).ApplyAsync();

        Assert.Equal(Embedded.Count, applied);
        await using var connection = await Database.OpenAsync();
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_schema WHERE type = 'table'")).ToList();
        Assert.Contains("site_settings", tables);
        var recorded = await connection.QueryAsync<string>("SELECT file_name FROM schema_migrations ORDER BY version");
        Assert.Equal(Embedded.Select(m => m.FileName), recorded);
    }

    [Fact]
    public async Task SecondRunIsANoOp()
    {
        await MigratorFor(Embedded).ApplyAsync();

        var appliedAgain = await MigratorFor(Embedded).ApplyAsync();

        Assert.Equal(0, appliedAgain);
    }

    [Fact]
    public async Task DatabaseRunsInWriteAheadLogMode()
    {
        await MigratorFor(Embedded).ApplyAsync();

        await using var connection = await Database.OpenAsync();

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA foreign_keys"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous")); // 1 = NORMAL
        Assert.Equal(SqliteConnectionFactory.BusyTimeoutMilliseconds, await connection.ExecuteScalarAsync<int>("PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task BrokenMigrationNamesItsFileAndLeavesTheDatabaseAsItWas()
    {
        var good = new Migration(1, "0001_create_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");
        var broken = new Migration(2, "0002_add_broken_things.sql", """
            CREATE TABLE half_done (id INTEGER PRIMARY KEY);
            INSERT INTO notes (id) VALUES (1);
            THIS IS NOT SQL;
            """);
        await MigratorFor([good]).ApplyAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => MigratorFor([good, broken]).ApplyAsync());

        Assert.Contains("0002_add_broken_things.sql", failure.Message, StringComparison.Ordinal);
        await using var connection = await Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half_done'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notes"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations"));
    }

    [Fact]
    public void EmbeddedMigrationsMatchTheFilesInTheRepository()
    {
        var directory = Path.Combine(RepositoryRoot.Path, "db", "migrations");

        var onDisk = Migration.FromDirectory(directory);

        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk.Select(m => (m.FileName, m.Sql)), Embedded.Select(m => (m.FileName, m.Sql)));
        Assert.Equal(Enumerable.Range(1, onDisk.Count), onDisk.Select(m => m.Version));
    }

    [Fact]
    public void BadlyNamedMigrationFileIsRefused()
    {
        File.WriteAllText(Path.Combine(_folder, "add-things.sql"), "SELECT 1;");

        var failure = Assert.Throws<InvalidOperationException>(() => Migration.FromDirectory(_folder));

        Assert.Contains("add-things.sql", failure.Message, StringComparison.Ordinal);
    }
}
