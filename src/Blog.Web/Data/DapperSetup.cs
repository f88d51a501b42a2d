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
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
    }

    /// <summary>
    /// SQLite has no date type: there times are ISO 8601 text, always UTC, as Microsoft.Data.Sqlite writes a
    /// <see cref="DateTime"/> (kept so: existing databases hold that text). PostgreSQL stores them as
    /// <c>timestamptz</c>, which Npgsql takes only as a UTC <see cref="DateTime"/>. The handlers are process-wide and
    /// one process may hold both engines, so they look at the parameter, not at settings.
    /// </summary>
    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            if (parameter is NpgsqlParameter npgsql)
            {
                BindTimestampTz(npgsql, value.ToUniversalTime());
                return;
            }
            parameter.DbType = DbType.DateTime;
            parameter.Value = value;
        }

        public override DateTime Parse(object value) => value switch
        {
            DateTime time => DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc),
            _ => SqliteTimes.Parse((string)value),
        };
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is NpgsqlParameter npgsql)
            {
                BindTimestampTz(npgsql, value.UtcDateTime);
                return;
            }
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value;
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc)),
            DateTimeOffset time => time.ToUniversalTime(),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        };
    }

    private static void BindTimestampTz(NpgsqlParameter parameter, DateTime utc)
    {
        parameter.NpgsqlDbType = NpgsqlDbType.TimestampTz;
        parameter.Value = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
    }
}

/// <summary>How a UTC time is stored as text, and read back. The fixed width makes text order time order.</summary>
public static class SqliteTimes
{
    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    public static DateTime Parse(string value) =>
        DateTime.SpecifyKind(DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc);
}
