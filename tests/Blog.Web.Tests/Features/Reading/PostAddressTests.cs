using System.Net;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

public sealed class PostAddressTests(NewYorkBlogAppFactory app) : IClassFixture<NewYorkBlogAppFactory>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // 02:00 UTC on 1 March is still 28 February in New York: the address uses the blog's month.
    private static readonly DateTime EarlyMarchUtc = new(2025, 3, 1, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task PostPageShowsTitleSubtitleDateBodyBylineAndLabels()
    {
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Khalid Bhatti");
        var post = PostSeeder.Insert(app, new SeedPost
        {
            Title = "Protests across the country", Subtitle = "The government says the situation is under control",
            AuthorId = author.Id, PublishedAt = EarlyMarchUtc, Labels = ["Politics", "Asia"],
            BodyHtml = "<p>First paragraph.</p><p>Second <strong>paragraph</strong>.</p>",
        });
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync("/2025/02/" + post.Slug);

        Assert.Equal("Protests across the country", page.QuerySelector("main h1")!.TextContent);
        Assert.Equal("The government says the situation is under control", page.QuerySelector(".post-subtitle")!.TextContent);
        Assert.Equal("Friday, 28 February 2025", page.QuerySelector(".post-header time")!.TextContent);
        Assert.Equal("paragraph", page.QuerySelector(".post-body strong")!.TextContent);
        Assert.Equal("Posted by Khalid Bhatti", page.QuerySelector(".byline")!.TextContent);
        Assert.Equal(["Asia", "Politics"], page.QuerySelectorAll(".post-footer .label-chip").Select(a => a.TextContent));
        Assert.Equal("/search/label/Politics", page.QuerySelector(".post-footer a[href$=Politics]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task PostWhoseAuthorWasDeletedShowsADeletedMember()
    {
        var post = PostSeeder.Insert(app, new SeedPost { Title = "Orphaned post", AuthorId = null });
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync(PostUrls.PostPath(DateTime.UtcNow.AddDays(-1), post.Slug, NewYork));

        Assert.Equal("Posted by a deleted member", page.QuerySelector(".byline")!.TextContent);
    }

    [Fact]
    public async Task OtherFormsOfAPostAddressAnswerPermanentRedirectsToTheCanonicalOne()
    {
        var post = PostSeeder.Insert(app, new SeedPost { Title = "Renamed post", Slug = "new-name-" + Guid.NewGuid().ToString("N")[..6], PublishedAt = EarlyMarchUtc });
        var oldSlug = "old-name-" + Guid.NewGuid().ToString("N")[..6];
        PostSeeder.AddSlugRedirect(app, "post", oldSlug, post.Id);
        var canonical = "/2025/02/" + post.Slug;
        using var client = new BlogClient(app);

        foreach (var form in new[] { canonical + ".html", "/2025/03/" + post.Slug, "/2024/12/" + post.Slug + ".html", "/2025/02/" + oldSlug, "/2025/02/" + oldSlug + ".html", "/2019/07/" + oldSlug })
        {
            using var response = await client.GetAsync(form);

            Assert.True(response.StatusCode == HttpStatusCode.MovedPermanently, $"{form} answered {(int)response.StatusCode}");
            Assert.Equal(canonical, response.Headers.Location!.OriginalString);
        }
        using var direct = await client.GetAsync(canonical);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("scheduled")]
    [InlineData("page")]
    public async Task PostsThatAreNotVisibleAnswerNotFoundEvenThroughRedirects(string kind)
    {
        var post = PostSeeder.Insert(app, new SeedPost
        {
            Title = "Hidden " + kind,
            Kind = kind == "page" ? "page" : "post",
            Status = kind == "draft" ? "draft" : "published",
            PublishedAt = kind == "scheduled" ? DateTime.UtcNow.AddDays(3) : EarlyMarchUtc,
        });
        var oldSlug = "was-" + post.Slug;
        PostSeeder.AddSlugRedirect(app, kind == "page" ? "page" : "post", oldSlug, post.Id);
        using var client = new BlogClient(app);

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/2025/02/" + post.Slug, "/2025/02/" + post.Slug + ".html", "/2025/02/" + oldSlug })
        {
            using var response = await client.GetAsync(path);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.NotFound, status));
    }

    [Fact]
    public async Task StaticPagesLiveUnderPAndAreListedInTheNavigation()
    {
        var page = PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "About this blog", Slug = "about-" + Guid.NewGuid().ToString("N")[..6], BodyHtml = "<p>Who writes here.</p>" });
        PostSeeder.AddSlugRedirect(app, "page", "old-" + page.Slug, page.Id);
        using var client = new BlogClient(app);

        var shown = await client.GetPageAsync("/p/" + page.Slug);
        using var html = await client.GetAsync("/p/" + page.Slug + ".html");
        using var renamed = await client.GetAsync("/p/old-" + page.Slug);
        var home = await client.GetPageAsync("/");

        Assert.Equal("About this blog", shown.QuerySelector("main h1")!.TextContent);
        Assert.Null(shown.QuerySelector(".byline"));
        Assert.Equal(HttpStatusCode.MovedPermanently, html.StatusCode);
        Assert.Equal("/p/" + page.Slug, html.Headers.Location!.OriginalString);
        Assert.Equal("/p/" + page.Slug, renamed.Headers.Location!.OriginalString);
        Assert.Contains(home.QuerySelectorAll(".site-nav a"), a => a.GetAttribute("href") == "/p/" + page.Slug && a.TextContent == "About this blog");
        Assert.DoesNotContain("About this blog", home.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPageAndUnknownPostAreNotFound()
    {
        using var client = new BlogClient(app);

        using var page = await client.GetAsync("/p/no-such-page");
        using var post = await client.GetAsync("/2025/02/no-such-post.html");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }
}
