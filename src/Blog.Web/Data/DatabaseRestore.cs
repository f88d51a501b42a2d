using System.Globalization;
using System.IO.Compression;
using Blog.Web.Features.Backup;
using Blog.Web.Features.Media;
using Blog.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// Puts a backup in place of the blog's database and pictures, after checking that it is a sound Quire backup this
/// version can run. The blog must be stopped; the database and media/ it replaces are kept in backups/.
/// </summary>
public sealed class DatabaseRestore(DataFolder folder, IReadOnlyList<Migration> migrations, TimeProvider clock)
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>
    /// Checks a would-be backup without changing it: it opens read-only, passes <c>PRAGMA integrity_check</c>,
    /// and its schema_migrations are the same files this Quire ships, in order (older is fine: startup migrates
    /// forward; newer is refused, because this version cannot know what the newer files changed).
    /// </summary>
    public BackupCheck Check(string path)
    {
        if (!File.Exists(path))
        {
            return BackupCheck.Refused($"There is no file at {path}.");
        }
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            var problems = Column(connection, "PRAGMA integrity_check;");
            if (problems is not ["ok"])
            {
                return BackupCheck.Refused($"{path} is damaged: SQLite's integrity check says \"{problems.FirstOrDefault()}\".");
            }
            if (Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';").Count == 0)
            {
                return BackupCheck.Refused($"{path} is a SQLite database but not a Quire one (it has no schema_migrations table).");
            }
            return CheckHistory(path, Column(connection, "SELECT file_name FROM schema_migrations ORDER BY version;"));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt)
        {
            return BackupCheck.Refused($"{path} is damaged: {ex.Message}");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase)
        {
            return BackupCheck.Refused($"{path} is not a readable SQLite database ({ex.Message}).");
        }
    }

    private BackupCheck CheckHistory(string path, List<string> applied)
    {
        if (applied.Count == 0)
        {
            return BackupCheck.Refused($"{path} has an empty schema_migrations table, so it is not a Quire database.");
        }
        for (var i = 0; i < applied.Count; i++)
        {
            if (i >= migrations.Count)
            {
                return BackupCheck.Refused(
                    $"{path} comes from a newer Quire: it has migration {applied[i]}, and this Quire only knows up to {migrations[^1].FileName}. " +
                    "Update Quire first, then restore it.");
            }
            if (applied[i] != migrations[i].FileName)
            {
                return BackupCheck.Refused(
                    $"{path} has a schema history this Quire doesn't recognise: it has {applied[i]} where {migrations[i].FileName} was expected.");
            }
        }
        return new BackupCheck(null, migrations[applied.Count - 1].Version, migrations.Count - applied.Count);
    }

    /// <summary>
    /// Replaces the database and the pictures with the backup at <paramref name="backupPath"/>: a zip made by
    /// <see cref="DatabaseBackup"/>, or the bare database file earlier Quire versions wrote (told apart by content).
    /// Refuses (changing nothing) when the backup fails its checks or when the database is in use, which means the blog
    /// is still running. Everything is unpacked and checked beside the live data first; then the live database and
    /// media/ are moved aside and the restored ones moved in, each a rename on the same file system.
    /// </summary>
    public RestoreResult Restore(string backupPath)
    {
        if (!File.Exists(backupPath))
        {
            return RestoreResult.Refused($"There is no file at {backupPath}.");
        }
        // Staged in the data folder: the files checked are then exactly the files put in place, and the final renames
        // stay on one file system, where they are atomic.
        var id = Guid.NewGuid().ToString("N");
        var staged = Path.Combine(folder.Root, $"restore-{id}.db");
        var stagedMedia = Path.Combine(folder.Root, $"restore-{id}-media");
        try
        {
            using var archive = BackupArchive.IsZip(backupPath) ? ZipFile.OpenRead(backupPath) : null;
            var (entries, layoutProblem) = archive is null ? (BackupEntries.BareDatabase, null) : ReadEntries(archive, backupPath);
            if ((layoutProblem ?? RoomProblem(entries)) is { } problem)
            {
                return RestoreResult.Refused(problem);
            }
            if (entries.Database is null)
            {
                File.Copy(backupPath, staged);
            }
            else
            {
                Unpack(entries.Database, staged, entries.Database.Length);
            }
            var check = Check(staged);
            if (check.Problem is not null)
            {
                return RestoreResult.Refused(check.Problem.Replace(staged, backupPath, StringComparison.Ordinal));
            }
            UseRollbackJournal(staged);
            var mailSetAside = SetQueuedMailAside(staged);
            var media = StageMedia(staged, entries.Media, stagedMedia);

            // Held until the restore is done, so the blog cannot start half-way through it either.
            using var runningLock = folder.TryTakeRunningLock();
            var live = folder.DatabasePath;
            if (runningLock is null || (File.Exists(live) && !TryQuiesce(live)))
            {
                return RestoreResult.Refused(
                    $"The database {live} is in use, so the blog looks to be running. Stop it, then run restore again.");
            }
            var (keptAt, mediaKeptAt) = SwapIn(staged, stagedMedia);
            return new RestoreResult(null, keptAt, check.SchemaVersion, check.PendingMigrations)
            {
                MailSetAside = mailSetAside,
                Media = media,
                MediaKeptAt = mediaKeptAt,
            };
        }
        catch (InvalidDataException ex)
        {
            return RestoreResult.Refused($"{backupPath} is a damaged zip file: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            return RestoreResult.Refused($"Could not restore {backupPath}: {ex.Message}");
        }
        finally
        {
            File.Delete(staged);
            DeleteSideFiles(staged);
            if (Directory.Exists(stagedMedia))
            {
                Directory.Delete(stagedMedia, recursive: true);
            }
        }
    }

    /// <summary>
    /// The zip's blog.db and picture entries, when it holds nothing else: a name that is not exactly one a backup
    /// writes (another folder, "..", an absolute path, a backslash) is refused rather than skipped, as such a zip was
    /// not made by Quire, and nothing is ever unpacked under a name taken from the zip.
    /// </summary>
    private static (BackupEntries Entries, string? Problem) ReadEntries(ZipArchive archive, string backupPath)
    {
        ZipArchiveEntry? database = null;
        var media = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            var mediaName = BackupArchive.MediaFileName(name);
            if (name == BackupArchive.DatabaseEntry ? database is not null : mediaName is not null && media.ContainsKey(mediaName))
            {
                return (BackupEntries.BareDatabase, $"{backupPath} holds {Printable(name)} twice, so it is not a backup Quire made.");
            }
            if (name == BackupArchive.DatabaseEntry)
            {
                database = entry;
            }
            else if (mediaName is not null)
            {
                media[mediaName] = entry;
            }
            else if (name != BackupArchive.MediaFolderEntry)
            {
                return (BackupEntries.BareDatabase,
                    $"{backupPath} is a zip file but not a Quire backup: it holds \"{Printable(name)}\", and a backup holds only blog.db and media/ files.");
            }
        }
        return database is null
            ? (BackupEntries.BareDatabase, $"{backupPath} is a zip file but not a Quire backup: it holds no blog.db.")
            : (new BackupEntries(database, media), null);
    }

    /// <summary>A name from a zip, fit to print in one line of a terminal: control characters shown as \uXXXX, and cut short.</summary>
    private static string Printable(string name)
    {
        var shown = string.Concat(name.Take(200).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return name.Length > 200 ? shown + "…" : shown;
    }

    /// <summary>Refuses before writing anything when the zip says it unpacks to more than the disk has free.</summary>
    private string? RoomProblem(BackupEntries entries)
    {
        if (entries.Database is null)
        {
            return null;
        }
        var needed = entries.Database.Length + entries.Media.Values.Sum(entry => entry.Length);
        var free = new DriveInfo(folder.Root).AvailableFreeSpace;
        return needed > free
            ? $"The backup unpacks to {needed:N0} bytes and the disk of {folder.Root} has {free:N0} bytes free. Make room, then run restore again."
            : null;
    }

    /// <summary>
    /// Writes an entry to a new file, refusing one that yields more than it declared (the declared sizes are what
    /// <see cref="RoomProblem"/> checked, and a zip bomb lies about them) or whose content does not match its checksum.
    /// </summary>
    private static void Unpack(ZipArchiveEntry entry, string path, long limit)
    {
        using var source = entry.Open();
        using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[81920];
        long written = 0;
        uint crc = 0;
        for (int read; (read = source.Read(buffer)) > 0;)
        {
            written += read;
            if (written > limit)
            {
                throw new InvalidDataException($"{entry.FullName} holds more than the {limit:N0} bytes it declares.");
            }
            crc = BackupArchive.UpdateCrc32(crc, buffer.AsSpan(0, read));
            target.Write(buffer, 0, read);
        }
        if (crc != entry.Crc32)
        {
            throw new InvalidDataException($"{entry.FullName} does not match its checksum.");
        }
    }

    /// <summary>
    /// Builds the restored media/ folder: every file the restored database lists, from the zip, or else (a bare
    /// database, or a zip that lacks it) from the current media/ folder when the same file is there. A file that
    /// is neither, or that is not the size the database says, or does not start like its format, is left out and
    /// named; a file the database does not list is not restored at all.
    /// </summary>
    private RestoredMedia StageMedia(string stagedDatabase, IReadOnlyDictionary<string, ZipArchiveEntry> inZip, string stagedMedia)
    {
        Dictionary<string, long> listed;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = stagedDatabase, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            connection.Open();
            listed = BackupArchive.ListedMediaFiles(connection);
        }
        Directory.CreateDirectory(stagedMedia);
        var liveMedia = LiveMediaPath;
        var (fromZip, fromCurrent, bytes) = (0, 0, 0L);
        var (missing, damaged) = (new List<string>(), new List<string>());
        foreach (var (name, size) in listed)
        {
            var target = Path.Combine(stagedMedia, name);
            if (inZip.TryGetValue(name, out var entry))
            {
                if (entry.Length != size || !TryUnpackPicture(entry, target, size))
                {
                    damaged.Add(name);
                    continue;
                }
                fromZip++;
            }
            else if (IsSoundPicture(Path.Combine(liveMedia, name), size))
            {
                File.Copy(Path.Combine(liveMedia, name), target);
                fromCurrent++;
            }
            else
            {
                missing.Add(name);
                continue;
            }
            bytes += size;
        }
        return new RestoredMedia
        {
            FromBackup = fromZip,
            FromCurrentFolder = fromCurrent,
            Bytes = bytes,
            Missing = missing,
            Damaged = damaged,
            NotListed = inZip.Keys.Count(name => !listed.ContainsKey(name)),
        };
    }

    private static bool TryUnpackPicture(ZipArchiveEntry entry, string target, long size)
    {
        try
        {
            Unpack(entry, target, size);
        }
        catch (InvalidDataException)
        {
            File.Delete(target);
            return false;
        }
        if (IsSoundPicture(target, size))
        {
            return true;
        }
        File.Delete(target);
        return false;
    }

    /// <summary>The file exists, has the size the database lists and starts like the format its name says.</summary>
    private static bool IsSoundPicture(string path, long size)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length != size || !MediaAddresses.TryParse(file.Name, out _, out _, out var format))
        {
            return false;
        }
        Span<byte> head = stackalloc byte[12];
        using var stream = file.OpenRead();
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return BackupArchive.StartsLike(format, head[..read]);
    }

    private string LiveMediaPath => Path.Combine(folder.Root, "media");

    /// <summary>
    /// Moves the live database and media/ into backups/ and the staged ones into their places. Should a move fail,
    /// the ones done are undone in reverse, so the blog is left as it was rather than half restored.
    /// </summary>
    private (string? KeptAt, string? MediaKeptAt) SwapIn(string staged, string stagedMedia)
    {
        var live = folder.DatabasePath;
        var liveMedia = LiveMediaPath;
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "Z-" + Guid.NewGuid().ToString("N")[..6];
        string? keptAt = File.Exists(live) ? Path.Combine(folder.BackupsPath, $"blog-before-restore-{stamp}.db") : null;
        string? mediaKeptAt = Directory.Exists(liveMedia) ? Path.Combine(folder.BackupsPath, $"media-before-restore-{stamp}") : null;
        var done = new Stack<Action>();
        try
        {
            if (keptAt is not null)
            {
                File.Move(live, keptAt);
                done.Push(() => File.Move(keptAt, live));
            }
            // TryQuiesce folded the WAL into blog.db; a -wal or -shm left now would belong to no database, and
            // SQLite would try to replay it onto the restored one.
            DeleteSideFiles(live);
            if (mediaKeptAt is not null)
            {
                Directory.Move(liveMedia, mediaKeptAt);
                done.Push(() => Directory.Move(mediaKeptAt, liveMedia));
            }
            Directory.Move(stagedMedia, liveMedia);
            done.Push(() => Directory.Move(liveMedia, stagedMedia));
            File.Move(staged, live);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            while (done.TryPop(out var undo))
            {
                undo();
            }
            throw;
        }
        // An empty media/ (a blog without pictures) is not worth keeping.
        if (mediaKeptAt is not null && !Directory.EnumerateFileSystemEntries(mediaKeptAt).Any())
        {
            Directory.Delete(mediaKeptAt);
            mediaKeptAt = null;
        }
        return (keptAt, mediaKeptAt);
    }

    /// <summary>
    /// Takes an exclusive lock (which fails while any other connection, in any process, has the database open in
    /// WAL mode: each holds a shared lock for as long as it is open, idle pooled connections included), then
    /// checkpoints and leaves WAL mode so blog.db alone holds every committed change and can be moved as one file.
    /// </summary>
    private static bool TryQuiesce(string databasePath)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = databasePath,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = 1,
            }.ToString());
            connection.Open();
            Column(connection, "PRAGMA busy_timeout = 0;");
            // In WAL mode only the exclusive locking mode asks for the database file's own exclusive lock.
            Column(connection, "PRAGMA locking_mode = EXCLUSIVE;");
            Column(connection, "BEGIN EXCLUSIVE;");
            Column(connection, "COMMIT;");
            return Column(connection, "PRAGMA journal_mode = DELETE;") is ["delete"];
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            return false;
        }
    }

    private static void UseRollbackJournal(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        Column(connection, "PRAGMA journal_mode = DELETE;");
    }

    /// <summary>
    /// Marks the mail the backup still had queued as given up, so that the restored blog does not send it: it is as old
    /// as the backup, and the blog it came from may well have sent it since (a reset link, a notice of an old comment).
    /// The rows stay, with the reason, like any mail given up on. Returns how many there were.
    /// </summary>
    private int SetQueuedMailAside(string databasePath)
    {
        const string sql = """
            UPDATE mail_outbox SET given_up_at = $now, claimed_until = NULL, last_error = 'not sent: the database was restored from a backup'
            WHERE given_up_at IS NULL
            """;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        // Backups from before the outbox have no such table (the migration makes it, empty).
        if (Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'mail_outbox';").Count == 0)
        {
            return 0;
        }
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$now", SqliteTimes.Format(clock.GetUtcNow().UtcDateTime));
        return command.ExecuteNonQuery();
    }

    private static void DeleteSideFiles(string databasePath)
    {
        File.Delete(databasePath + "-wal");
        File.Delete(databasePath + "-shm");
        File.Delete(databasePath + "-journal");
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "");
        }
        return values;
    }
}

/// <summary>The verdict on a would-be backup: <see cref="Problem"/> is null when it can be restored.</summary>
public sealed record BackupCheck(string? Problem, int SchemaVersion, int PendingMigrations)
{
    public static BackupCheck Refused(string problem) => new(problem, 0, 0);
}

/// <summary>What a restore did: <see cref="Problem"/> is null on success; <see cref="KeptAt"/> is the replaced database.</summary>
public sealed record RestoreResult(string? Problem, string? KeptAt, int SchemaVersion, int PendingMigrations)
{
    /// <summary>How many queued messages the backup held; they are marked given up, not sent.</summary>
    public int MailSetAside { get; init; }

    public RestoredMedia Media { get; init; } = new();

    /// <summary>Where the replaced media/ folder was moved; null when it held nothing.</summary>
    public string? MediaKeptAt { get; init; }

    public static RestoreResult Refused(string problem) => new(problem, null, 0, 0);
}

/// <summary>The picture files of a restore: where those the restored database lists came from, and those it lacks.</summary>
public sealed record RestoredMedia
{
    public int FromBackup { get; init; }

    /// <summary>Files the backup lacked but the media/ folder being replaced held, unchanged (a bare database's pictures).</summary>
    public int FromCurrentFolder { get; init; }

    public long Bytes { get; init; }

    /// <summary>Listed by the database, found neither in the backup nor in the media/ folder being replaced.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>In the backup, but not the size the database lists or not the format their name says.</summary>
    public IReadOnlyList<string> Damaged { get; init; } = [];

    /// <summary>Picture files in the backup that its database does not list, left out.</summary>
    public int NotListed { get; init; }
}

/// <summary>A zip's entries that a restore uses; <see cref="Database"/> is null for a bare database file.</summary>
internal sealed record BackupEntries(ZipArchiveEntry? Database, IReadOnlyDictionary<string, ZipArchiveEntry> Media)
{
    public static readonly BackupEntries BareDatabase = new(null, new Dictionary<string, ZipArchiveEntry>());
}
