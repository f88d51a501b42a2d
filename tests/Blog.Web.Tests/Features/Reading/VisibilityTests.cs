using System.Net;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

/// <summary>Drafts never show; a scheduled post shows everywhere at once when its time comes.</summary>
public sealed class VisibilityTests
{
    [Fact]
    public async Task ScheduledPostAppearsEverywhereWhenItsTimeComesAndDraftsNever()
    {
        using var app = new ClockedBlogAppFactory();
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Ada Writer");
        var goesOutAt = app.Clock.GetUtcNow().UtcDateTime.AddHours(2);
        var scheduled = PostSeeder.Insert(app, new SeedPost
        {
            Title = "Zeppelin timetable", AuthorId = author.Id, PublishedAt = goesOutAt,
            Labels = ["airships"], BodyHtml = "<p>The quasarword flight leaves at dawn.</p>",
        });
        var draft = PostSeeder.Insert(app, new SeedPost
        {
            Title = "Half-written blimp notes", AuthorId = author.Id, Status = "draft", PublishedAt = null,
            Labels = ["blimps"], BodyHtml = "<p>quasarword draft text</p>",
        });
        var draftPath = PostUrls.PostPath(goesOutAt, draft.Slug, TimeZoneInfo.Utc);
        var scheduledPath = PostUrls.PostPath(goesOutAt, scheduled.Slug, TimeZoneInfo.Utc);
        using var client = new BlogClient(app);

        var before = await WhereItShowsAsync(client, "Zeppelin timetable", "airships", scheduledPath, goesOutAt);
        app.Clock.Advance(TimeSpan.FromHours(3));
        var after = await WhereItShowsAsync(client, "Zeppelin timetable", "airships", scheduledPath, goesOutAt);
        var draftAfter = await WhereItShowsAsync(client, "Half-written blimp notes", "blimps", draftPath, goesOutAt);
        // The year now rightly appears in the archive box because of the scheduled post; the draft adds no count.
        draftAfter.Remove("archive widget");
        var archiveBox = BlogClient.Parse(await client.Http.GetStringAsync("/")).QuerySelector("#archive-widget-heading")!.ParentElement!.TextContent;

        Assert.All(before, surface => Assert.False(surface.Value, $"Scheduled post showed early on {surface.Key}"));
        Assert.All(after, surface => Assert.True(surface.Value, $"Scheduled post missing on {surface.Key} after its time"));
        Assert.All(draftAfter, surface => Assert.False(surface.Value, $"Draft showed on {surface.Key}"));
        Assert.Contains($"{goesOutAt.Year} (1)", archiveBox, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, bool>> WhereItShowsAsync(BlogClient client, string title, string label, string path, DateTime published)
    {
        async Task<bool> Shows(string url, string text)
        {
            using var response = await client.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains(text, StringComparison.Ordinal);
        }

        var year = published.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var home = await client.Http.GetStringAsync("/");
        return new Dictionary<string, bool>
        {
            ["home"] = home.Contains(title, StringComparison.Ordinal),
            ["post page"] = await Shows(path, title),
            ["atom feed"] = await Shows("/feeds/posts/default", title),
            ["rss feed"] = await Shows("/feeds/posts/default?alt=rss", title),
            ["label feed"] = await Shows("/feeds/posts/default/-/" + label, title),
            ["search"] = await Shows("/search?q=quasarword", title),
            ["label page"] = await Shows("/search/label/" + label, title),
            ["archive"] = await Shows($"/{year}/", title),
            ["sitemap"] = (await SitemapReader.UrlsAsync(client)).ContainsKey("http://localhost" + path),
            ["labels widget"] = home.Contains("/search/label/" + label + "\"", StringComparison.Ordinal),
            ["archive widget"] = home.Contains($"href=\"/{year}/\"", StringComparison.Ordinal),
        };
    }
}
