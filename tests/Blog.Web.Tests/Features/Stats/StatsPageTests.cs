using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Blog.Web.Features.Settings;
using Blog.Web.Features.Stats;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Stats;

/// <summary>/admin/stats shows the numbers stored for the range, per day of the blog's own calendar.</summary>
public sealed class StatsPageTests(StatsPageTests.AucklandBlog app) : IClassFixture<StatsPageTests.AucklandBlog>
{
    /// <summary>A blog thirteen hours ahead of UTC in December: its days and UTC days differ for half of every day.</summary>
    public sealed class AucklandBlog : BlogAppFactory;

    [Fact]
    public async Task ThePageShowsTheStoredNumbersForTheRange()
    {
        var seeded = await StatsSeed.InsertAsync(app, "Pacific/Auckland");
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var client = owner;

        var month = await client.GetPageAsync("/admin/stats");
        var quarter = await client.GetPageAsync("/admin/stats?days=90");

        Assert.Equal(30, Rows(month, "views").Count);
        Assert.Equal(90, Rows(quarter, "views").Count);
        Assert.Equal(seeded.ViewsToday, Rows(month, "views")[seeded.Today]);
        Assert.Equal(seeded.ViewsTenDaysAgo, Rows(month, "views")[seeded.Today.AddDays(-10)]);
        Assert.False(Rows(month, "views").ContainsKey(seeded.Today.AddDays(-40)));
        Assert.Equal(seeded.ViewsFortyDaysAgo, Rows(quarter, "views")[seeded.Today.AddDays(-40)]);
        Assert.Equal(2, Rows(month, "comments")[seeded.Today]);
        Assert.Equal(1, Rows(month, "comments")[seeded.Today.AddDays(-1)]);
        Assert.Equal(3, Rows(month, "comments").Values.Sum());
        var top = month.QuerySelectorAll("section[aria-labelledby=top-posts] tbody tr").Select(row => row.TextContent).ToList();
        Assert.Equal(2, top.Count);
        Assert.Contains(seeded.PopularTitle, top[0], StringComparison.Ordinal);
        Assert.Contains((seeded.ViewsToday - 1 + seeded.ViewsTenDaysAgo).ToString("N0", CultureInfo.InvariantCulture), top[0], StringComparison.Ordinal);
        Assert.Contains("example.org", Text(month, "referrers"), StringComparison.Ordinal);
        Assert.Contains("cheap flights", Text(month, "searches"), StringComparison.Ordinal);
        Assert.DoesNotContain("old term", Text(month, "searches"), StringComparison.Ordinal);
        Assert.Contains("old term", Text(quarter, "searches"), StringComparison.Ordinal);
        var chart = month.QuerySelector("svg[role=img][aria-labelledby='views-title views-desc']");
        Assert.NotNull(chart);
        Assert.Contains($"{seeded.ViewsToday + seeded.ViewsTenDaysAgo} views in 30 days", chart.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, chart.QuerySelectorAll("rect").Length);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("abc")]
    [InlineData("-30")]
    [InlineData("99999999999999999999")]
    [InlineData("30.0")]
    public async Task AnUnknownRangeIsAClearBadRequest(string days)
    {
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        using var client = owner;

        using var response = await client.GetAsync("/admin/stats?days=" + days);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("30, 90 or 365 days", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    // SQLite by nature: reads SQLite's query plan.
    [Trait("Database", "Sqlite")]
    [Fact]
    public async Task CommentsPerDayReadOnlyTheIndexOfVisibleComments()
    {
        _ = app.Services;
        using var connection = app.OpenDatabase();

        var plan = string.Join("\n", connection.Query<(long, long, long, string Detail)>("""
            EXPLAIN QUERY PLAN
            SELECT COUNT(*) FROM comments c
            WHERE c.status = 'approved' AND c.removed_at IS NULL AND c.created_at >= '2026-01-01' AND c.created_at < '2026-01-02'
            """).Select(row => row.Detail));

        Assert.Contains("COVERING INDEX", plan, StringComparison.Ordinal);
    }

    private static Dictionary<DateOnly, long> Rows(IHtmlDocument page, string chart) =>
        page.QuerySelectorAll($"section[aria-labelledby={chart}-heading] tbody tr").ToDictionary(
            row => DateOnly.ParseExact(row.QuerySelector("time")!.GetAttribute("datetime")!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            row => long.Parse(row.QuerySelector("td")!.TextContent, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));

    private static string Text(IHtmlDocument page, string section) =>
        page.QuerySelector($"section[aria-labelledby={section}]")!.TextContent;
}

/// <summary>Statistics rows as the writer leaves them, and comments around the blog's midnight.</summary>
internal static class StatsSeed
{
    public sealed record Seeded(DateOnly Today, long ViewsToday, long ViewsTenDaysAgo, long ViewsFortyDaysAgo, string PopularTitle);

    public static async Task<Seeded> InsertAsync(BlogAppFactory app, string timeZone)
    {
        var settings = app.Services.GetRequiredService<SiteSettingsStore>();
        await settings.SaveAsync((await settings.GetAsync()) with { TimeZone = timeZone });
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
        var (popular, _) = PostSeeder.Insert(app, new SeedPost { Title = "The popular one & more" });
        var (quiet, _) = PostSeeder.Insert(app, new SeedPost { Title = "A quiet one" });
        var midnight = CountingDay.StartOf(today.ToDateTime(TimeOnly.MinValue), zone);

        using var connection = app.OpenDatabase();
        connection.Execute("""
            INSERT INTO stats_post_days (day, post_id, views, visitors) VALUES
                (@Today, @Popular, 40, 30), (@Today, @Quiet, 1, 1), (@TenDaysAgo, @Popular, 25, 20), (@FortyDaysAgo, @Quiet, 7, 7);
            INSERT INTO stats_referrer_days (day, domain, views) VALUES (@Today, 'example.org', 12), (@TenDaysAgo, 'news.example', 3)
                ON CONFLICT (day, domain) DO UPDATE SET views = excluded.views;
            INSERT INTO stats_search_days (day, term, searches) VALUES (@Today, 'cheap flights', 4), (@FortyDaysAgo, 'old term', 2)
                ON CONFLICT (day, term) DO UPDATE SET searches = excluded.searches;
            INSERT INTO comments (post_id, depth, body_markdown, body_html, status, removed_at, created_at) VALUES
                (@Popular, 0, 'a', '<p>a</p>', 'approved', NULL, @JustAfterMidnight),
                (@Popular, 0, 'b', '<p>b</p>', 'approved', NULL, @JustBeforeMidnight),
                (@Popular, 0, 'c', '<p>c</p>', 'approved', NULL, @Now),
                (@Popular, 0, 'held', '<p>held</p>', 'held', NULL, @Now),
                (@Popular, 0, 'removed', '<p>removed</p>', 'approved', @Now, @Now);
            """,
            new
            {
                Today = Day(today), TenDaysAgo = Day(today.AddDays(-10)), FortyDaysAgo = Day(today.AddDays(-40)),
                Popular = popular, Quiet = quiet,
                JustAfterMidnight = TestDatabase.StoredTime(midnight.AddMinutes(1)),
                JustBeforeMidnight = TestDatabase.StoredTime(midnight.AddMinutes(-1)),
                Now = TestDatabase.StoredTime(DateTime.UtcNow),
            });
        return new Seeded(today, 41, 25, 7, "The popular one & more");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
