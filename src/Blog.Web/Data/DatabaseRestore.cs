using System.Globalization;
using Blog.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// Puts a backup in place of the blog's database, after checking that it is a sound Quire database this version
/// can run. The blog must be stopped; the database it replaces is kept in backups/.
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
    /// Replaces the database with the backup at <paramref name="backupPath"/>. Refuses (changing nothing) when the
    /// backup fails <see cref="Check"/> or when the database is in use, which means the blog is still running.
    /// </summary>
    public RestoreResult Restore(string backupPath)
    {
        if (!File.Exists(backupPath))
        {
            return RestoreResult.Refused($"There is no file at {backupPath}.");
        }
        // Check a private copy in the data folder: the file checked is then exactly the file put in place, and the
        // final rename stays on one file system, where it is atomic.
        var staged = Path.Combine(folder.Root, $"restore-{Guid.NewGuid():N}.db");
        try
        {
            File.Copy(backupPath, staged);
            var check = Check(staged);
            if (check.Problem is not null)
            {
                return RestoreResult.Refused(check.Problem.Replace(staged, backupPath, StringComparison.Ordinal));
            }
            UseRollbackJournal(staged);
            var mailSetAside = SetQueuedMailAside(staged);

            // Held until the restore is done, so the blog cannot start half-way through it either.
            using var runningLock = folder.TryTakeRunningLock();
            var live = folder.DatabasePath;
            string? keptAt = null;
            if (runningLock is null || (File.Exists(live) && !TryQuiesce(live)))
            {
                return RestoreResult.Refused(
                    $"The database {live} is in use, so the blog looks to be running. Stop it, then run restore again.");
            }
            if (File.Exists(live))
            {
                var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                keptAt = Path.Combine(folder.BackupsPath, $"blog-before-restore-{stamp}Z-{Guid.NewGuid().ToString("N")[..6]}.db");
                File.Move(live, keptAt);
            }
            // TryQuiesce folded the WAL into blog.db; a -wal or -shm left now would belong to no database, and
            // SQLite would try to replay it onto the restored one.
            DeleteSideFiles(live);
            File.Move(staged, live);
            return new RestoreResult(null, keptAt, check.SchemaVersion, check.PendingMigrations) { MailSetAside = mailSetAside };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return RestoreResult.Refused($"Could not restore {backupPath}: {ex.Message}");
        }
        finally
        {
            File.Delete(staged);
            DeleteSideFiles(staged);
        }
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

    public static RestoreResult Refused(string problem) => new(problem, null, 0, 0);
}
