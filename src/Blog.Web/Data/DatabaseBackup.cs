using System.Globalization;
using Blog.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// Consistent copies of the live database, taken with SQLite's online backup API: the copy is one snapshot of
/// the database even while the blog keeps reading and writing, which copying blog.db (and its -wal file) by hand
/// is not.
/// </summary>
public sealed class DatabaseBackup(SqliteConnectionFactory db, DataFolder folder, TimeProvider clock)
{
    /// <summary>A new file name in the data folder's backups/ directory, e.g. backups/blog-20260301-101500Z.db.</summary>
    public string DefaultPath()
    {
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder.BackupsPath, $"blog-{stamp}Z.db");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder.BackupsPath, string.Create(CultureInfo.InvariantCulture, $"blog-{stamp}Z-{n}.db"));
        }
        return path;
    }

    /// <summary>
    /// Writes a backup to <paramref name="destination"/>, which must not exist yet. The copy is written beside it
    /// under a temporary name and renamed at the end, so a half-written file never carries the final name.
    /// </summary>
    public async Task WriteAsync(string destination, CancellationToken cancellationToken)
    {
        if (File.Exists(destination))
        {
            throw new IOException($"{destination} already exists; backups never overwrite a file.");
        }
        var partial = destination + ".partial";
        try
        {
            await using (var source = await db.OpenAsync(cancellationToken))
            await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                await target.OpenAsync(cancellationToken);
                source.BackupDatabase(target);
                // The copy inherits WAL mode from the live database; a backup should be one self-contained file that
                // opens anywhere (even read-only), so it goes back to a rollback journal. Startup turns WAL on again.
                await using var command = target.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = DELETE;";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            File.Move(partial, destination);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
