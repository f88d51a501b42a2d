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

    public string Text(DialectSql sql) => Engine == DatabaseEngine.PostgreSql ? sql.PostgreSql : sql.Sqlite;
}
