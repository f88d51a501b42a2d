using System.Globalization;
using System.Net;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Authoring;

public sealed class SchedulingTimeZoneTests(AuthoringAppFactory app) : IClassFixture<AuthoringAppFactory>
{
    [Fact]
    public async Task AScheduleIsReadInTheBlogsTimeZoneAndShownBackInIt()
    {
        var store = app.Services.GetRequiredService<SiteSettingsStore>();
        await store.SaveAsync((await store.GetAsync()) with { TimeZone = "America/New_York" });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var localDay = TimeZoneInfo.ConvertTimeFromUtc(app.Clock.GetUtcNow().UtcDateTime, zone).Date.AddDays(3);
        var (client, _) = await BlogClient.SignedInAsync(app, MemberRole.Author);

        var response = await client.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = "Eastern time",
            ["ScheduleDate"] = localDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["ScheduleTime"] = "08:15",
            ["Command"] = "schedule",
        });
        var editPage = await client.GetPageAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var db = app.OpenDatabase();
        var stored = db.QuerySingle<DateTime>("SELECT published_at FROM posts WHERE title = 'Eastern time'");
        Assert.Equal(TimeZoneInfo.ConvertTimeToUtc(localDay.AddHours(8).AddMinutes(15), zone), stored);
        Assert.Equal("08:15", editPage.QuerySelector("#ScheduleTime")?.GetAttribute("value"));
        Assert.Contains("America/New_York", editPage.QuerySelector(".schedule legend")?.TextContent, StringComparison.Ordinal);
    }
}
