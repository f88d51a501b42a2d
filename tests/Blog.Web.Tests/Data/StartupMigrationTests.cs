using Blog.Web.Data;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Blog.Web.Tests.Data;

// SQLite by nature: Starts on broken SQLite migrations (db/sqlite).
[Trait("Database", "Sqlite")]
public sealed class StartupMigrationTests : IDisposable
{
    private readonly string _dataFolder = TestDataFolder.Create();

    public void Dispose() => TestDataFolder.Delete(_dataFolder);

    [Fact]
    public async Task StartupStopsWithOneCriticalLineNamingTheFileAndSqlitesReason()
    {
        var logs = new CapturedLogs();
        var broken = new Migration(1, "0001_break_everything.sql", "CREATE TABLE oops (;");
        await using var app = new BlogAppFactory(_dataFolder)
        {
            Migrations = [broken],
            ConfigureLogging = logging => logging.AddProvider(logs),
        };

        Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var critical = Assert.Single(logs.Lines, line => line.StartsWith("Critical", StringComparison.Ordinal));
        Assert.Contains("0001_break_everything.sql", critical, StringComparison.Ordinal);
        Assert.Contains("SQLite Error", critical, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Blog.Web", critical, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedMigrationEndsTheProcessWithExitCodeOneAndNoStackTrace()
    {
        // A database that is not Quire's: its own site_settings table makes the first migration fail.
        await using (var foreign = new SqliteConnection($"Data Source={Path.Combine(_dataFolder, "blog.db")};Pooling=False"))
        {
            await foreign.OpenAsync();
            await using var command = foreign.CreateCommand();
            command.CommandText = "CREATE TABLE site_settings (name TEXT); INSERT INTO site_settings VALUES ('kept');";
            await command.ExecuteNonQueryAsync();
        }

        using var blog = BlogProcess.Start(_dataFolder);
        var exitCode = await blog.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var output = blog.Output;
        Assert.True(exitCode == 1, $"Expected exit code 1, got {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (still running)"}:\n{output}");
        Assert.Contains("0001_create_site_settings.sql", output, StringComparison.Ordinal);
        Assert.Contains("table site_settings already exists", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at \S", output);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataFolder, "blog.db")};Pooling=False");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT name FROM site_settings";
        Assert.Equal("kept", await read.ExecuteScalarAsync());
    }
}
