using Blog.Web.Data;

namespace Blog.Web.Commands;

/// <summary>
/// <c>backup [path]</c>: writes a consistent backup (a zip of the database and the picture files it lists), safe to run
/// while the blog is serving. Without a path it goes to the data folder's backups/ directory under a timestamped name.
/// </summary>
public sealed class BackupCommand : IBlogCommand
{
    private const string Usage = "Usage: backup [path of the new backup file]";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (args.Count > 1 || (args.Count == 1 && args[0].StartsWith('-')))
        {
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        if (services.GetService<BlogDatabase>()?.Engine == DatabaseEngine.PostgreSql)
        {
            await console.Error.WriteLineAsync(PostgresBackup.Advice);
            return 1;
        }
        var db = services.GetRequiredService<SqliteDatabase>();
        if (!File.Exists(db.DatabasePath))
        {
            await console.Error.WriteLineAsync($"There is no database at {db.DatabasePath} to back up.");
            return 1;
        }
        var backup = services.GetRequiredService<DatabaseBackup>();
        var destination = args.Count == 1 ? Path.GetFullPath(args[0]) : backup.DefaultPath();
        if (File.Exists(destination))
        {
            await console.Error.WriteLineAsync($"{destination} already exists; choose a new file name.");
            return 1;
        }
        BackupSummary summary;
        try
        {
            summary = await backup.WriteAsync(destination, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            await console.Error.WriteLineAsync($"The backup failed: {ex.Message}");
            return 1;
        }
        await console.Out.WriteLineAsync($"Backed up {db.DatabasePath} to {destination} ({summary.ArchiveBytes:N0} bytes).");
        await console.Out.WriteLineAsync(
            $"It holds the database ({summary.DatabaseBytes:N0} bytes) and {summary.MediaFiles:N0} picture file(s) ({summary.MediaBytes:N0} bytes).");
        if (summary.MissingMedia.Count > 0)
        {
            // Not a failure of the backup: the picture is gone from this blog too, and a new backup would not bring it back.
            await console.Error.WriteLineAsync(
                $"{summary.MissingMedia.Count:N0} picture file(s) the database lists were not in {services.GetRequiredService<Hosting.DataFolder>().MediaPath} " +
                $"and are not in the backup: {string.Join(", ", summary.MissingMedia.Take(10))}{(summary.MissingMedia.Count > 10 ? ", …" : "")}");
        }
        return 0;
    }
}
