using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Dapper;

namespace Blog.Web.Features.Stats;

/// <summary>
/// The statistics page's reads. Each is bounded by the range's days (a seek in the tables' day-first keys) and,
/// where it lists, by a LIMIT.
/// </summary>
public sealed class StatsQueries(BlogDatabase db, SiteSettingsStore settings, TimeProvider clock)
{
    public const int TopPostsShown = 10;

    public const int NamesShown = 20;

    public async Task<StatsPage> PageAsync(int days, CancellationToken ct)
    {
        var zone = PostUrls.TimeZone((await settings.GetAsync(ct)).TimeZone);
        var to = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
        var from = to.AddDays(1 - days);
        var range = new { From = DayText(from), To = DayText(to) };

        await using var connection = await db.OpenAsync(ct);
        var views = (await connection.QueryAsync<(string Day, long Views, long Visitors)>(new CommandDefinition("""
            SELECT day, SUM(views), SUM(visitors) FROM stats_post_days
            WHERE day BETWEEN @From AND @To
            GROUP BY day
            """, range, cancellationToken: ct))).ToDictionary(row => row.Day);
        return new StatsPage
        {
            Days = days,
            From = from,
            To = to,
            Views = new DayChart
            {
                Id = "views",
                Title = "Views per day",
                Unit = "views",
                Points = [.. Range(from, to).Select(day => new DayCount(day, views.GetValueOrDefault(DayText(day)).Views))],
            },
            Visitors = views.Values.Sum(row => row.Visitors),
            Comments = new DayChart
            {
                Id = "comments",
                Title = "Comments per day",
                Unit = "comments",
                Points = await CommentsPerDayAsync(connection, from, to, zone, ct),
            },
            TopPosts = await TopPostsAsync(connection, range, zone, ct),
            Referrers = await NamedCountsAsync(connection, """
                SELECT domain AS name, SUM(views) AS count FROM stats_referrer_days
                WHERE day BETWEEN @From AND @To
                GROUP BY domain ORDER BY count DESC, name LIMIT @Limit
                """, range, ct),
            Searches = await NamedCountsAsync(connection, """
                SELECT term AS name, SUM(searches) AS count FROM stats_search_days
                WHERE day BETWEEN @From AND @To
                GROUP BY term ORDER BY count DESC, name LIMIT @Limit
                """, range, ct),
        };
    }

    /// <summary>
    /// Approved comments per day of the blog's calendar. Comment times are UTC, and a day's length in UTC changes
    /// with summer time, so each day is counted between its own UTC bounds (worked out here, sent as one JSON
    /// array): a range count in the visible comments' created_at index per day, which reads each comment once.
    /// </summary>
    private static async Task<IReadOnlyList<DayCount>> CommentsPerDayAsync(
        DbConnection connection, DateOnly from, DateOnly to, TimeZoneInfo zone, CancellationToken ct)
    {
        // The bounds go as one parameter however many days there are: a JSON array of stored-form texts that SQLite
        // pairs up with json_each, or two timestamptz arrays that PostgreSQL walks side by side with unnest.
        var dialect = Dialect.Of(connection);
        var sql = dialect.Text(new DialectSql(
            Sqlite: """
                SELECT (SELECT COUNT(*) FROM comments c
                        WHERE c.status = 'approved' AND c.removed_at IS NULL
                          AND c.created_at >= day_start.value AND c.created_at < day_end.value)
                FROM json_each(@Bounds) day_start
                JOIN json_each(@Bounds) day_end ON day_end.key = day_start.key + 1
                ORDER BY day_start.key
                """,
            PostgreSql: """
                SELECT (SELECT COUNT(*) FROM comments c
                        WHERE c.status = 'approved' AND c.removed_at IS NULL
                          AND c.created_at >= d.day_start AND c.created_at < d.day_end)
                FROM unnest(@Starts::timestamptz[], @Ends::timestamptz[]) WITH ORDINALITY AS d(day_start, day_end, i)
                ORDER BY d.i
                """));
        var days = Range(from, to).ToList();
        var bounds = days.Append(to.AddDays(1))
            .Select(day => DateTime.SpecifyKind(CountingDay.StartOf(day.ToDateTime(TimeOnly.MinValue), zone), DateTimeKind.Utc))
            .ToList();
        object parameters = dialect.Engine == DatabaseEngine.PostgreSql
            ? new { Starts = bounds[..^1].ToArray(), Ends = bounds[1..].ToArray() }
            : new { Bounds = JsonSerializer.Serialize(bounds.Select(SqliteTimes.Format)) };
        var counts = (await connection.QueryAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: ct))).ToList();
        return [.. days.Select((day, i) => new DayCount(day, counts[i]))];
    }

    private static async Task<IReadOnlyList<TopPost>> TopPostsAsync(
        DbConnection connection, object range, TimeZoneInfo zone, CancellationToken ct)
    {
        // Summed per post over the range first, then only the ten are joined to their posts.
        const string sql = """
            SELECT p.title, p.kind, p.slug, p.status, p.published_at, top.views, top.visitors
            FROM (SELECT post_id, SUM(views) AS views, SUM(visitors) AS visitors FROM stats_post_days
                  WHERE day BETWEEN @From AND @To
                  GROUP BY post_id ORDER BY views DESC, post_id LIMIT @Limit) top
            JOIN posts p ON p.id = top.post_id
            ORDER BY top.views DESC, top.post_id
            """;
        var rows = await connection.QueryAsync<TopPostRow>(new CommandDefinition(
            sql, With(range, TopPostsShown), cancellationToken: ct));
        return [.. rows.Select(row => new TopPost
        {
            Title = row.Title,
            Views = row.Views,
            Visitors = row.Visitors,
            Path = row.Status != PostStatus.Published || row.PublishedAt is null ? null
                : row.Kind == PostKind.Page ? PostUrls.PagePath(row.Slug)
                : PostUrls.PostPath(row.PublishedAt.Value, row.Slug, zone),
        })];
    }

    private static async Task<IReadOnlyList<NamedCount>> NamedCountsAsync(
        DbConnection connection, string sql, object range, CancellationToken ct) =>
        [.. await connection.QueryAsync<NamedCount>(new CommandDefinition(sql, With(range, NamesShown), cancellationToken: ct))];

    private static DynamicParameters With(object range, int limit)
    {
        var parameters = new DynamicParameters(range);
        parameters.Add("Limit", limit);
        return parameters;
    }

    private static IEnumerable<DateOnly> Range(DateOnly from, DateOnly to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record TopPostRow
    {
        public required string Title { get; init; }

        public required string Kind { get; init; }

        public required string Slug { get; init; }

        public required string Status { get; init; }

        public DateTime? PublishedAt { get; init; }

        public long Views { get; init; }

        public long Visitors { get; init; }
    }
}
