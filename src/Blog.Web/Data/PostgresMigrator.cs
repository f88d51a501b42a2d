using Dapper;
using Npgsql;

namespace Blog.Web.Data;

/// <summary>
/// Brings a PostgreSQL database up to the newest schema (the files of db/postgresql). Several app instances may start
/// at once on one database: a session advisory lock lets one migrate while the others wait, and each re-reads what
/// is applied once it holds the lock, so every file runs exactly once. Each file runs in its own transaction and is
/// recorded in <c>schema_migrations</c>; a failing file leaves the database as it was before that file.
/// </summary>
public sealed class PostgresMigrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, ILogger<PostgresMigrator> logger) : SchemaMigrator
{
    /// <summary>
    /// The advisory lock key every Quire instance takes while it migrates. Any fixed number works as long as nothing
    /// else in the database uses it; this is "Quire" in ASCII, so it reads as what it is in pg_locks.
    /// </summary>
    public const long AdvisoryLockKey = 0x51_75_69_72_65;

    // The lock waits for as long as another instance migrates, and one file may rewrite a large table: neither has a
    // sensible time limit, so these commands run without Npgsql's default 30-second one. Cancellation still works.
    private const int NoTimeout = 0;

    public override async Task<int> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@Key);", new { Key = AdvisoryLockKey }, commandTimeout: NoTimeout, cancellationToken: cancellationToken));
        try
        {
            // Created under the lock: two concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog.
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    file_name  text NOT NULL,
                    applied_at timestamptz NOT NULL
                );
                """, cancellationToken: cancellationToken));

            // Read only now: an instance that waited for the lock finds what the one before it applied.
            var applied = (await connection.QueryAsync<int>(
                new CommandDefinition("SELECT version FROM schema_migrations;", cancellationToken: cancellationToken))).ToHashSet();
            var pending = migrations.Where(m => !applied.Contains(m.Version)).ToList();
            foreach (var migration in pending)
            {
                await ApplyOneAsync(connection, migration, cancellationToken);
                logger.LogInformation("Applied migration {FileName}", migration.FileName);
            }
            // The pool learnt the database's types when it first connected, before the migrations created some
            // (citext), whether this instance applied them or another did while this one waited for the lock: without
            // a reload, reading such a column fails ("Reading as 'System.Object' is not supported"). Once per start.
            await dataSource.ReloadTypesAsync(cancellationToken);
            return pending.Count;
        }
        finally
        {
            // A session lock outlives the transaction; release it before the connection goes back to the pool. A broken
            // connection took the lock with it, and trying would only hide the error that broke it.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_unlock(@Key);", new { Key = AdvisoryLockKey }, cancellationToken: CancellationToken.None));
            }
        }
    }

    private static async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                migration.Sql, transaction: transaction, commandTimeout: NoTimeout, cancellationToken: cancellationToken));
            // now() rather than a bound time: the app's Dapper time handlers are not this migrator's concern.
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, file_name, applied_at) VALUES (@Version, @FileName, now());",
                new { migration.Version, migration.FileName },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new MigrationFailedException(migration.FileName, ex);
        }
    }
}
