using Microsoft.Data.Sqlite;
using Npgsql;

namespace Blog.Web.Data;

/// <summary>
/// A UNIQUE constraint as each engine names it in an error: SQLite says the columns ("members.normalized_email"),
/// PostgreSQL the constraint (its default name for a column's UNIQUE is <c>table_column_key</c>).
/// </summary>
public sealed record UniqueKey(string SqliteColumns, string PostgreSqlConstraint);

/// <summary>Which constraint refused a write, whichever engine refused it.</summary>
public static class DatabaseErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>Any constraint (unique, foreign key, check, not null) refused the write.</summary>
    public static bool IsConstraintViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint,
        // Class 23: integrity constraint violation.
        PostgresException postgres => postgres.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>A UNIQUE constraint refused the write; with <paramref name="key"/>, that one.</summary>
    public static bool IsUniqueViolation(Exception exception, UniqueKey? key = null) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey
            && (key is null || sqlite.Message.Contains(key.SqliteColumns, StringComparison.Ordinal)),
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation
            && (key is null || postgres.ConstraintName == key.PostgreSqlConstraint),
        _ => false,
    };
}
