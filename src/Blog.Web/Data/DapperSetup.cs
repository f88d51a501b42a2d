using System.Data;
using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Blog.Web.Data;

/// <summary>Dapper's process-wide settings, applied once before the first query.</summary>
public static class DapperSetup
{
    private static int _configured;

    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }
        // Columns are snake_case (published_at); C# properties are PascalCase (PublishedAt).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Dapper's own type map would otherwise win over the handlers for parameters, which then never see them.
        SqlMapper.RemoveTypeMap(typeof(DateTime));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(typeof(DateTime), new UtcDateTimeHandler());
    }

    /// <summary>
    /// SQLite has no date type: there times are ISO 8601 text, always UTC, as Microsoft.Data.Sqlite writes a
    /// <see cref="DateTime"/> (kept so: existing databases hold that text). PostgreSQL stores them as
    /// <c>timestamptz</c>, which Npgsql takes only as a UTC <see cref="DateTime"/>. The handlers are process-wide and
    /// one process may hold both engines, so they look at the parameter, not at settings. They see nulls too (Dapper's
    /// <c>TypeHandler&lt;T&gt;</c> would hand a null on untyped): PostgreSQL cannot type a bare null it only tests, as
    /// in <c>CASE WHEN @BannedAt IS NULL</c>, and refuses the statement.
    /// </summary>
    private abstract class UtcTimeHandler(DbType sqliteType) : SqlMapper.ITypeHandler
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            if (parameter is NpgsqlParameter npgsql)
            {
                npgsql.NpgsqlDbType = NpgsqlDbType.TimestampTz;
                npgsql.Value = value is null or DBNull ? DBNull.Value : DateTime.SpecifyKind(ToUtc(value), DateTimeKind.Utc);
                return;
            }
            parameter.DbType = sqliteType;
            parameter.Value = value ?? DBNull.Value;
        }

        public abstract object Parse(Type destinationType, object value);

        private static DateTime ToUtc(object value) => value switch
        {
            DateTimeOffset time => time.UtcDateTime,
            _ => ((DateTime)value).ToUniversalTime(),
        };
    }

    private sealed class UtcDateTimeHandler() : UtcTimeHandler(DbType.DateTime)
    {
        public override object Parse(Type destinationType, object value) => value switch
        {
            DateTime time => DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc),
            _ => SqliteTimes.Parse((string)value),
        };
    }

    private sealed class DateTimeOffsetHandler() : UtcTimeHandler(DbType.DateTimeOffset)
    {
        public override object Parse(Type destinationType, object value) => value switch
        {
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc)),
            DateTimeOffset time => time.ToUniversalTime(),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        };
    }
}

/// <summary>How a UTC time is stored as text, and read back. The fixed width makes text order time order.</summary>
public static class SqliteTimes
{
    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    public static DateTime Parse(string value) =>
        DateTime.SpecifyKind(DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc);
}
