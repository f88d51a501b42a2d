using System.Data.Common;
using Blog.Web.Data;
using Blog.Web.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Blog.Web.Commands;

/// <summary>
/// <c>copy-to-postgresql</c>: copies the SQLite blog of the data folder (database and pictures) into the empty
/// PostgreSQL database that <c>ConnectionStrings:Blog</c> names, then prints each table's rows on both sides. The
/// target comes from configuration, never an argument: a connection string holds a password, and arguments end up
/// in shell history. With the blog stopped, as rows written during the copy would not be in it.
/// </summary>
public sealed class CopyToPostgresCommand : IBlogCommand
{
    private const string Usage =
        "Usage: copy-to-postgresql  (stop the blog first; copies into the empty PostgreSQL database named by ConnectionStrings:Blog)";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (args.Count != 0)
        {
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        var connectionString = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await console.Error.WriteLineAsync(
                "Set ConnectionStrings:Blog (env ConnectionStrings__Blog) to the empty PostgreSQL database to copy into.");
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        var dataFolder = services.GetRequiredService<DataFolder>();
        if (!File.Exists(dataFolder.DatabasePath))
        {
            await console.Error.WriteLineAsync($"There is no database at {dataFolder.DatabasePath} to copy.");
            return 1;
        }
        using var runningLock = dataFolder.TryTakeRunningLock();
        if (runningLock is null)
        {
            await console.Error.WriteLineAsync(
                "The blog is running on this data folder: stop it first, or what it writes during the copy would be lost.");
            return 1;
        }

        CopyReport report;
        try
        {
            report = await CopyAsync(services, dataFolder, connectionString, cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidDataException or NotSupportedException or MigrationFailedException or ArgumentException)
        {
            // ArgumentException: a connection string Npgsql cannot read. Nothing was committed in any of these cases.
            await console.Error.WriteLineAsync($"The copy failed, and nothing was copied: {ex.Message}");
            return 1;
        }
        return await ReportAsync(report, dataFolder, console);
    }

    private static async Task<CopyReport> CopyAsync(
        IServiceProvider services, DataFolder dataFolder, string connectionString, CancellationToken cancellationToken)
    {
        // The SQLite blog first reaches this Quire's schema, as it would at its next start.
        var loggers = services.GetRequiredService<ILoggerFactory>();
        await new Migrator(new SqliteDatabase(dataFolder.DatabasePath), services.GetRequiredService<IReadOnlyList<Migration>>(),
            loggers.CreateLogger<Migrator>()).ApplyAsync(cancellationToken);
        await using var target = NpgsqlDataSource.Create(connectionString);
        var copy = new SqliteToPostgresCopy(
            dataFolder.DatabasePath,
            dataFolder.MediaPath,
            target,
            Migration.FromEmbeddedResources(typeof(Migration).Assembly, Migration.PostgresFolder),
            loggers.CreateLogger<PostgresMigrator>());
        return await copy.RunAsync(cancellationToken);
    }

    private static async Task<int> ReportAsync(CopyReport report, DataFolder dataFolder, CommandConsole console)
    {
        if (report.Tables.Count > 0)
        {
            var width = report.Tables.Max(t => t.Table.Length);
            await console.Out.WriteLineAsync($"{"table".PadRight(width)}  {"SQLite",12}  {"PostgreSQL",12}");
            foreach (var table in report.Tables)
            {
                var mark = table.SourceRows == table.CopiedRows ? "" : "  differs";
                await console.Out.WriteLineAsync($"{table.Table.PadRight(width)}  {table.SourceRows,12:N0}  {table.CopiedRows,12:N0}{mark}");
            }
        }
        if (report.MissingMedia.Count > 0)
        {
            // Not a difference the copy made: these pictures are missing on the SQLite blog too.
            await console.Error.WriteLineAsync(
                $"{report.MissingMedia.Count:N0} picture file(s) the database lists were not in {dataFolder.MediaPath} and were not copied: " +
                $"{string.Join(", ", report.MissingMedia.Take(10))}{(report.MissingMedia.Count > 10 ? ", …" : "")}");
        }
        if (report.Problem is not null)
        {
            await console.Error.WriteLineAsync(report.Problem);
            return 1;
        }
        await console.Out.WriteLineAsync(
            $"Copied {dataFolder.DatabasePath} and {report.MediaBytes:N0} bytes of pictures into PostgreSQL; every table's row count matches. " +
            "Set Blog:Database:Provider to PostgreSQL to run the blog on it.");
        return 0;
    }
}
