using System.Data;
using System.Globalization;
using Dapper;

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
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
    }

    /// <summary>SQLite has no date type: times are ISO 8601 text, always UTC.</summary>
    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value) =>
            parameter.Value = SqliteTimes.Format(value.ToUniversalTime());

        public override DateTime Parse(object value) => SqliteTimes.Parse((string)value);
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) =>
            parameter.Value = SqliteTimes.Format(value.UtcDateTime);

        public override DateTimeOffset Parse(object value) =>
            DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}

/// <summary>How a UTC time is stored as text, and read back. The fixed width makes text order time order.</summary>
public static class SqliteTimes
{
    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    public static DateTime Parse(string value) =>
        DateTime.SpecifyKind(DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc);
}
