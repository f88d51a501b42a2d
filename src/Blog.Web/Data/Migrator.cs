using Dapper;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Data;

/// <summary>
/// Brings the database up to the newest schema at startup. Each migration runs in its own transaction and is
/// recorded in <c>schema_migrations</c>, so a re-run is a no-op and a failing file leaves the database as it was.
/// </summary>
public sealed class Migrator(SqliteDatabase db, IReadOnlyList<Migration> migrations, ILogger<Migrator> logger) : SchemaMigrator
{
    public override async Task<int> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenSqliteAsync(cancellationToken);

        // WAL is a property of the database file: set once, it sticks for every later connection.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                file_name  TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """);

        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations;")).ToHashSet();
        var pending = migrations.Where(m => !applied.Contains(m.Version)).ToList();
        foreach (var migration in pending)
        {
            await ApplyOneAsync(connection, migration, cancellationToken);
            logger.LogInformation("Applied migration {FileName}", migration.FileName);
        }
        return pending.Count;
    }

    private static async Task ApplyOneAsync(SqliteConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, file_name, applied_at) VALUES (@Version, @FileName, @AppliedAt);",
                new { migration.Version, migration.FileName, AppliedAt = DateTime.UtcNow },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new MigrationFailedException(migration.FileName, ex);
        }
    }
}

/// <summary>A migration could not be applied; the database was left as it was before that file.</summary>
public sealed class MigrationFailedException(string fileName, Exception inner)
    : Exception($"Database migration '{fileName}' failed and was rolled back: {inner.Message}", inner)
{
    public string FileName { get; } = fileName;
}
