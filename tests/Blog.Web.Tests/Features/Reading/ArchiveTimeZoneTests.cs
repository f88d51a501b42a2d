using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

/// <summary>
/// The sidebar's archive counts each month over the same UTC range as the month's own page, in the blog's zone
/// (New York here): a post just before local midnight on the last day of a month belongs to that month, one just
/// after to the next, whether daylight saving time is on (October) or off (February).
/// </summary>
public sealed class ArchiveTimeZoneTests(NewYorkBlogAppFactory app) : IClassFixture<NewYorkBlogAppFactory>
{
    [Fact]
    public async Task SidebarMonthsAgreeWithMonthPagesAroundLocalMidnight()
    {
        DateTime[] published =
        [
            new(2011, 3, 1, 4, 30, 0, DateTimeKind.Utc),   // 28 February, 23:30 EST
            new(2011, 3, 1, 5, 30, 0, DateTimeKind.Utc),   // 1 March, 00:30 EST
            new(2011, 3, 1, 6, 0, 0, DateTimeKind.Utc),    // 1 March, 01:00 EST
            new(2011, 11, 1, 3, 30, 0, DateTimeKind.Utc),  // 31 October, 23:30 EDT
            new(2011, 11, 1, 4, 30, 0, DateTimeKind.Utc),  // 1 November, 00:30 EDT
        ];
        foreach (var (time, index) in published.Select((time, index) => (time, index)))
        {
            PostSeeder.Insert(app, new SeedPost { Title = $"Around midnight {index}", PublishedAt = time });
        }
        using var client = new BlogClient(app);

        var home = await client.GetPageAsync("/");
        var year = home.QuerySelectorAll("#archive-widget-heading ~ ul details")
            .Single(details => details.QuerySelector("summary")!.TextContent.Trim().StartsWith("2011", StringComparison.Ordinal));

        Assert.Equal("2011 (5)", year.QuerySelector("summary")!.TextContent.Trim());
        Assert.Equal(
            ["All of 2011", "November (1)", "October (1)", "March (2)", "February (1)"],
            year.QuerySelectorAll("li").Select(li => li.TextContent.Trim()));
        foreach (var (month, count) in new[] { ("/2011/02/", 1), ("/2011/03/", 2), ("/2011/10/", 1), ("/2011/11/", 1) })
        {
            var page = await client.GetPageAsync(month);
            Assert.Equal(count, page.QuerySelectorAll(".post-summary").Length);
        }
    }
}
