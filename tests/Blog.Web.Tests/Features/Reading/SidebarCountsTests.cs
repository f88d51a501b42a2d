using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Blog.Web.Features.Archive;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

/// <summary>
/// The sidebar's archive and label counts are computed once and reused (<see cref="SidebarCounts"/>); these tests
/// prove they still change the moment a post is published, scheduled (when its time comes), unpublished,
/// relabelled or deleted through the editor, and when posts are written straight into the database.
/// </summary>
public sealed class SidebarCountsTests(ClockedBlogAppFactory app) : IClassFixture<ClockedBlogAppFactory>
{
    [Fact]
    public async Task PublishingAPostCountsItAtOnce()
    {
        using var owner = await OwnerAsync();
        var label = UniqueLabel();
        var before = await SidebarAsync(owner);

        await CreateAsync(owner, new() { ["Title"] = "Published " + label, ["Body"] = "Text", ["Labels"] = label, ["Command"] = "publish" });

        var after = await SidebarAsync(owner);
        Assert.Equal(1, after.Label(label));
        Assert.Equal(before.Month(Now) + 1, after.Month(Now));
    }

    [Fact]
    public async Task ScheduledPostIsCountedWhenItsTimeComesAndNotBefore()
    {
        using var owner = await OwnerAsync();
        var label = UniqueLabel();
        var goesOut = Now.Date.AddDays(1).AddHours(9).AddMinutes(30);
        var before = await SidebarAsync(owner);

        await CreateAsync(owner, new()
        {
            ["Title"] = "Scheduled " + label, ["Body"] = "Later", ["Labels"] = label,
            ["ScheduleDate"] = goesOut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["ScheduleTime"] = "09:30", ["Command"] = "schedule",
        });
        var waiting = await SidebarAsync(owner);
        app.Clock.SetUtcNow(new DateTimeOffset(goesOut.AddMinutes(-1), TimeSpan.Zero));
        var aMinuteBefore = await SidebarAsync(owner);
        app.Clock.SetUtcNow(new DateTimeOffset(goesOut.AddMinutes(1), TimeSpan.Zero));
        var afterwards = await SidebarAsync(owner);

        Assert.Null(waiting.Label(label));
        Assert.Equal(before.Month(goesOut), waiting.Month(goesOut));
        Assert.Null(aMinuteBefore.Label(label));
        Assert.Equal(1, afterwards.Label(label));
        Assert.Equal(before.Month(goesOut) + 1, afterwards.Month(goesOut));
    }

    [Fact]
    public async Task UnpublishingAPostTakesItOutOfTheCounts()
    {
        using var owner = await OwnerAsync();
        var label = UniqueLabel();
        var before = await SidebarAsync(owner);
        var title = "Unpublished " + label;
        var id = await CreateAsync(owner, new() { ["Title"] = title, ["Body"] = "Text", ["Labels"] = label, ["Command"] = "publish" });
        Assert.Equal(1, (await SidebarAsync(owner)).Label(label));

        var response = await owner.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string> { ["Title"] = title, ["Labels"] = label, ["Command"] = "unpublish" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await SidebarAsync(owner);
        Assert.Null(after.Label(label));
        Assert.Equal(before.Month(Now), after.Month(Now));
    }

    [Fact]
    public async Task RelabellingAPostMovesItsCount()
    {
        using var owner = await OwnerAsync();
        var (first, second) = (UniqueLabel(), UniqueLabel());
        var title = "Relabelled " + first;
        var id = await CreateAsync(owner, new() { ["Title"] = title, ["Body"] = "Text", ["Labels"] = first, ["Command"] = "publish" });
        Assert.Equal(1, (await SidebarAsync(owner)).Label(first));

        var response = await owner.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string>
        {
            ["Title"] = title, ["Body"] = "Text", ["Labels"] = second, ["Command"] = "publish",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await SidebarAsync(owner);
        Assert.Null(after.Label(first));
        Assert.Equal(1, after.Label(second));
    }

    [Fact]
    public async Task DeletingAPostTakesItOutOfTheCounts()
    {
        using var owner = await OwnerAsync();
        var label = UniqueLabel();
        var before = await SidebarAsync(owner);
        var id = await CreateAsync(owner, new() { ["Title"] = "Deleted " + label, ["Body"] = "Text", ["Labels"] = label, ["Command"] = "publish" });
        Assert.Equal(before.Month(Now) + 1, (await SidebarAsync(owner)).Month(Now));

        var response = await owner.SubmitFormAsync($"/admin/posts/{id}/delete", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await SidebarAsync(owner);
        Assert.Null(after.Label(label));
        Assert.Equal(before.Month(Now), after.Month(Now));
    }

    [Fact]
    public async Task PostsWrittenStraightIntoTheDatabaseAreCountedToo()
    {
        using var reader = new BlogClient(app);
        var label = UniqueLabel();
        var before = await SidebarAsync(reader);

        var (id, _) = PostSeeder.Insert(app, new SeedPost { Title = "Seeded " + label, PublishedAt = Now.AddMinutes(-5), Labels = [label] });
        var seeded = await SidebarAsync(reader);
        CommentTestData.Execute(app, "UPDATE posts SET status = 'draft' WHERE id = @Id", new { Id = id });
        app.ForgetCachedPages();
        var drafted = await SidebarAsync(reader);

        Assert.Equal(1, seeded.Label(label));
        Assert.Equal(before.Month(Now) + 1, seeded.Month(Now));
        Assert.Null(drafted.Label(label));
        Assert.Equal(before.Month(Now), drafted.Month(Now));
    }

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private static string UniqueLabel() => "side" + Guid.NewGuid().ToString("N")[..8];

    private async Task<BlogClient> OwnerAsync() => (await BlogClient.SignedInAsync(app, MemberRole.Owner)).Client;

    private static async Task<long> CreateAsync(BlogClient client, Dictionary<string, string> fields)
    {
        var response = await client.SubmitFormAsync("/admin/posts/new", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        var segments = response.Headers.Location!.OriginalString.Split('/');
        return long.Parse(segments[^2], CultureInfo.InvariantCulture);
    }

    private static async Task<Sidebar> SidebarAsync(BlogClient client) => new(await client.GetPageAsync("/"));

    private sealed class Sidebar(IHtmlDocument page)
    {
        /// <summary>The number beside the label in the Labels box; null when the label is not listed.</summary>
        public int? Label(string name)
        {
            var link = page.QuerySelectorAll(".label-counts a").FirstOrDefault(a => a.TextContent.Trim() == name);
            return link is null ? null : Count(link.ParentElement!);
        }

        /// <summary>The number beside the month in the archive box (the blog's zone is UTC here); 0 when not listed.</summary>
        public int Month(DateTime utc)
        {
            var link = page.QuerySelector($"#archive-widget-heading ~ ul a[href='{ArchivePaths.Month(utc.Year, utc.Month)}']");
            return link is null ? 0 : Count(link.ParentElement!);
        }

        private static int Count(AngleSharp.Dom.IElement item) =>
            int.Parse(item.QuerySelector(".count")!.TextContent.Trim('(', ')', ' '), CultureInfo.InvariantCulture);
    }
}
