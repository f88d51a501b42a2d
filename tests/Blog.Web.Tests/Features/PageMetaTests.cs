using System.Net;
using AngleSharp.Html.Dom;
using Blog.Web.Features.Archive;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features;

/// <summary>
/// Every page says what it is through one page metadata model: its title, its description (the same text for search
/// results and link previews), a feed of its own posts where it has one, and link previews only for readers' pages.
/// </summary>
public sealed class PageMetaTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private const string Blog = "My Quire blog";

    [Fact]
    public async Task ALabelPageHasItsTitleOneDescriptionAndItsOwnFeed()
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Labelled for meta", Labels = ["Metadata"] });
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync("/search/label/Metadata");

        Assert.Equal($"Posts labelled Metadata · {Blog}", page.Title);
        AssertDescribedAs($"Posts labelled Metadata on {Blog}.", page);
        var labelFeed = page.QuerySelector("head link[rel=alternate][href$='/feeds/posts/default/-/Metadata']");
        Assert.Equal("Posts labelled Metadata - Atom", labelFeed!.GetAttribute("title"));
    }

    [Fact]
    public async Task AnArchivePageHasItsTitleAndOneDescription()
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Archived for meta" });
        var year = DateTime.UtcNow.AddDays(-1).Year;
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync(ArchivePaths.Year(year));

        Assert.Equal($"Posts from {year} · {Blog}", page.Title);
        AssertDescribedAs($"Everything published on {Blog} in {year}.", page);
        Assert.Null(page.QuerySelector("head link[rel=alternate][href*='/feeds/posts/default/-/']"));
    }

    [Fact]
    public async Task TheSearchPageGivesSearchResultsTheDescriptionItGivesLinkPreviews()
    {
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync("/search?q=anything");

        Assert.Equal($"Search: anything · {Blog}", page.Title);
        AssertDescribedAs($"Search {Blog}.", page);
    }

    [Fact]
    public async Task AFormPageHasItsTitleButNoCanonicalLinkOrPreview()
    {
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync("/account/sign-in");

        Assert.Equal($"Sign in · {Blog}", page.Title);
        Assert.Null(page.QuerySelector("link[rel=canonical]"));
        Assert.Null(page.QuerySelector("meta[property^='og:']"));
        Assert.Equal(
            page.QuerySelector("p.site-description")?.TextContent ?? "",
            page.QuerySelector("meta[name=description]")!.GetAttribute("content"));
    }

    [Fact]
    public async Task AMessageFromTheCommentsFeatureIsTheSharedMessagePage()
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync("/comments/unsubscribe?token=cut-short");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"This unsubscribe link doesn't work · {Blog}", page.Title);
        Assert.Equal("This unsubscribe link doesn't work", page.QuerySelector("main section.message-page h1#page-heading")!.TextContent);
    }

    /// <summary>The search-result description and the link-preview descriptions say the same.</summary>
    private static void AssertDescribedAs(string description, IHtmlDocument page)
    {
        Assert.Equal(description, page.QuerySelector("meta[name=description]")!.GetAttribute("content"));
        Assert.Equal(description, page.QuerySelector("meta[property='og:description']")!.GetAttribute("content"));
        Assert.Equal(description, page.QuerySelector("meta[name='twitter:description']")!.GetAttribute("content"));
    }
}
