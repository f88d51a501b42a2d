using System.Data.Common;
using Npgsql;

namespace Blog.Web.Data;

/// <summary>
/// The two texts of one statement that cannot be written once for both engines, declared together next to the
/// query so a reader sees the difference in one place.
/// </summary>
public sealed record DialectSql(string Sqlite, string PostgreSql);

/// <summary>What differs between the engines' SQL: which text of a <see cref="DialectSql"/> to run.</summary>
public sealed class Dialect
{
    private static readonly Dialect SqliteDialect = new(DatabaseEngine.Sqlite);
    private static readonly Dialect PostgreSqlDialect = new(DatabaseEngine.PostgreSql);

    private Dialect(DatabaseEngine engine) => Engine = engine;

    public DatabaseEngine Engine { get; }

    public static Dialect Of(DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.Sqlite => SqliteDialect,
        DatabaseEngine.PostgreSql => PostgreSqlDialect,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    /// <summary>The dialect of the engine behind <paramref name="connection"/>, for code handed only a connection.</summary>
    public static Dialect Of(DbConnection connection) =>
        Of(connection is NpgsqlConnection ? DatabaseEngine.PostgreSql : DatabaseEngine.Sqlite);

    public string Text(DialectSql sql) => Engine == DatabaseEngine.PostgreSql ? sql.PostgreSql : sql.Sqlite;

    /// <summary>
    /// A time to compare stored times with, e.g. a page's bound. On SQLite it is bound as text in the fixed-width
    /// stored form (<see cref="SqliteTimes"/>): a <see cref="DateTime"/> would go without its trailing zeros
    /// ("12:00:00" for "12:00:00.0000000"), which sorts before the stored value it equals. PostgreSQL compares
    /// <c>timestamptz</c> values, so there it is the time itself.
    /// </summary>
    public object TimeBound(DateTime utc) =>
        Engine == DatabaseEngine.PostgreSql ? DateTime.SpecifyKind(utc, DateTimeKind.Utc) : SqliteTimes.Format(utc);
}
