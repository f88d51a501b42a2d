using System.Globalization;
using System.IO.Compression;
using Blog.Web.Features.Backup;
using Blog.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// Consistent backups of the live blog: one zip holding a snapshot of the database, taken with SQLite's online backup
/// API (one moment of the database even while the blog keeps reading and writing, which copying blog.db and its -wal
/// file by hand is not), and every picture file that snapshot lists (see <see cref="BackupArchive"/>).
/// </summary>
public sealed class DatabaseBackup(SqliteDatabase db, DataFolder folder, TimeProvider clock)
{
    /// <summary>A new file name in the data folder's backups/ directory, e.g. backups/blog-20260301-101500Z.zip.</summary>
    public string DefaultPath()
    {
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder.BackupsPath, $"blog-{stamp}Z.zip");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder.BackupsPath, string.Create(CultureInfo.InvariantCulture, $"blog-{stamp}Z-{n}.zip"));
        }
        return path;
    }

    /// <summary>
    /// Writes a backup to <paramref name="destination"/>, which must not exist yet. The zip is written beside it under a
    /// temporary name and renamed at the end, so a half-written file never carries the final name.
    /// </summary>
    public async Task<BackupSummary> WriteAsync(string destination, CancellationToken cancellationToken)
    {
        if (File.Exists(destination))
        {
            throw new IOException($"{destination} already exists; backups never overwrite a file.");
        }
        var partial = destination + ".partial";
        var snapshot = Path.Combine(folder.BackupsPath, $"snapshot-{Guid.NewGuid():N}.db");
        try
        {
            await SnapshotAsync(snapshot, cancellationToken);
            BackupSummary summary;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                var taken = clock.GetUtcNow();
                await AddFileAsync(zip, BackupArchive.DatabaseEntry, snapshot, CompressionLevel.Fastest, taken, cancellationToken);
                summary = await AddMediaAsync(zip, snapshot, taken, cancellationToken);
            }
            File.Move(partial, destination);
            return summary with { DatabaseBytes = new FileInfo(snapshot).Length, ArchiveBytes = new FileInfo(destination).Length };
        }
        finally
        {
            File.Delete(partial);
            File.Delete(snapshot);
        }
    }

    private async Task SnapshotAsync(string path, CancellationToken cancellationToken)
    {
        await using var source = await db.OpenSqliteAsync(cancellationToken);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await target.OpenAsync(cancellationToken);
        source.BackupDatabase(target);
        // The copy inherits WAL mode from the live database; a backup should be one self-contained file that opens
        // anywhere (even read-only), so it goes back to a rollback journal. Startup turns WAL on again.
        await using var command = target.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = DELETE;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Adds the files the snapshot lists, not whatever media/ holds now: an upload that finished after the snapshot
    /// has no row in it. A file deleted since the snapshot (or lost) cannot be added; it is named in the summary.
    /// </summary>
    private async Task<BackupSummary> AddMediaAsync(ZipArchive zip, string snapshot, DateTimeOffset taken, CancellationToken cancellationToken)
    {
        Dictionary<string, long> listed;
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await connection.OpenAsync(cancellationToken);
            listed = BackupArchive.ListedMediaFiles(connection);
        }
        var (count, bytes, missing) = (0, 0L, new List<string>());
        foreach (var name in listed.Keys)
        {
            try
            {
                bytes += await AddFileAsync(zip, BackupArchive.MediaEntry(name), Path.Combine(folder.MediaPath, name), CompressionLevel.NoCompression, taken, cancellationToken);
                count++;
            }
            catch (FileNotFoundException)
            {
                missing.Add(name);
            }
        }
        return new BackupSummary { MediaFiles = count, MediaBytes = bytes, MissingMedia = missing };
    }

    /// <summary>Copies a file into a new entry; opened before the entry is made, so a missing file leaves no empty entry.</summary>
    private static async Task<long> AddFileAsync(ZipArchive zip, string entryName, string path, CompressionLevel level, DateTimeOffset taken, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024);
        var entry = zip.CreateEntry(entryName, level);
        entry.LastWriteTime = taken;
        await using var target = entry.Open();
        await source.CopyToAsync(target, cancellationToken);
        return source.Length;
    }
}

/// <summary>What a backup holds: the database's size, and how many picture files (and bytes) went in with it.</summary>
public sealed record BackupSummary
{
    public long DatabaseBytes { get; init; }
    public long ArchiveBytes { get; init; }
    public int MediaFiles { get; init; }
    public long MediaBytes { get; init; }

    /// <summary>Files the database lists that were not in media/ (deleted since the snapshot was taken, or lost).</summary>
    public IReadOnlyList<string> MissingMedia { get; init; } = [];
}
