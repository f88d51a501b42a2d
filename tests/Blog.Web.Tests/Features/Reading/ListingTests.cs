using System.Net;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

/// <summary>Home, label and archive lists with two posts per page; this class's blog holds only its own posts.</summary>
public sealed class ListingTests(TwoPerPageBlogAppFactory app) : IClassFixture<TwoPerPageBlogAppFactory>, IAsyncLifetime
{
    private static readonly DateTime Base = new(2024, 5, 10, 12, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync()
    {
        // Seeded once for the class: five posts over two years, three labelled "Rust", one "rust-free" draft.
        _ = app.Services;
        if (CountPosts() == 0)
        {
            PostSeeder.Insert(app, new SeedPost { Title = "Oldest post", PublishedAt = Base.AddYears(-1), Labels = ["Rust"] });
            PostSeeder.Insert(app, new SeedPost { Title = "May first", PublishedAt = Base, Labels = ["rust", "Ops"] });
            PostSeeder.Insert(app, new SeedPost { Title = "May second", PublishedAt = Base.AddDays(2), Subtitle = "With a subtitle" });
            PostSeeder.Insert(app, new SeedPost { Title = "June post", PublishedAt = Base.AddMonths(1), Labels = ["Rust"], Excerpt = "An excerpt only" });
            PostSeeder.Insert(app, new SeedPost { Title = "Newest post", PublishedAt = Base.AddMonths(2) });
            PostSeeder.Insert(app, new SeedPost { Title = "Secret draft", Status = "draft", PublishedAt = null, Labels = ["Rust", "Unreleased"] });
        }
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task HomePagesThroughPostsNewestFirstWithBloggersOlderPostsAddresses()
    {
        using var client = new BlogClient(app);

        var first = await client.GetPageAsync("/");
        var secondUrl = Older(first);
        var second = await client.GetPageAsync(secondUrl);
        var thirdUrl = Older(second);
        var third = await client.GetPageAsync(thirdUrl);

        Assert.Equal(["Newest post", "June post"], Titles(first));
        Assert.Equal(["May second", "May first"], Titles(second));
        Assert.Equal(["Oldest post"], Titles(third));
        Assert.Null(first.QuerySelector(".pager-newer"));
        Assert.Equal("/search?updated-max=2024-06-10T12:00:00Z&max-results=2", secondUrl);
        Assert.Equal("/", second.QuerySelector(".pager-newer")!.GetAttribute("href"));
        Assert.Equal("/search?updated-max=2024-05-10T12:00:00Z&max-results=2", thirdUrl);
        Assert.Equal(secondUrl, third.QuerySelector(".pager-newer")!.GetAttribute("href"));
        Assert.Null(third.QuerySelector(".pager-older"));
        Assert.Equal("http://localhost" + secondUrl, second.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal("With a subtitle", second.QuerySelectorAll(".post-summary-text")[0].TextContent);
        Assert.Equal("An excerpt only", first.QuerySelectorAll(".post-summary-text")[1].TextContent);
        Assert.Equal("Wednesday, 10 July 2024", first.QuerySelector("time")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("/search?updated-max=2024-06-10T05:00:00-07:00&max-results=2", "May second,May first")]
    [InlineData("/search?updated-max=2024-06-10T14:00:00%2B02:00&max-results=1", "May second")]
    [InlineData("/search?updated-max=2024-06-10T14:00:00+02:00&max-results=1", "May second")]
    [InlineData("/search?updated-max=2024-06-10T12:00:00.001Z", "June post,May second")]
    [InlineData("/search?updated-max=2030-01-01T00:00:00Z&max-results=100000", "Newest post,June post,May second,May first,Oldest post")]
    [InlineData("/search/label/Rust?updated-max=2024-06-10T12:00:00Z&max-results=5", "May first,Oldest post")]
    [InlineData("/2024/?updated-max=2024-06-10T12:00:00Z&max-results=20", "May second,May first")]
    [InlineData("/2024/05/?updated-max=2024-05-12T12:00:00Z", "May first")]
    public async Task BloggersOlderPostsLinksOfAnImportedBlogWork(string url, string titles)
    {
        using var client = new BlogClient(app);

        var page = await client.GetPageAsync(url);

        Assert.Equal(titles.Split(','), Titles(page));
    }

    [Theory]
    [InlineData("/?page=1", "/")]
    [InlineData("/?page=3", "/")]
    [InlineData("/search/label/rust?page=2", "/search/label/Rust")]
    [InlineData("/2024/?page=2", "/2024/")]
    [InlineData("/search?q=post&page=2", "/search?q=post")]
    public async Task EarlierNumberedPagesWithinTheListLeadToItsFirstPage(string url, string location)
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/?page=0")]
    [InlineData("/?page=-1")]
    [InlineData("/?page=99999999999")]
    [InlineData("/?page=abc")]
    [InlineData("/?page=1.5")]
    [InlineData("/search/label/Rust?page=0")]
    [InlineData("/2024/?page=-3")]
    [InlineData("/search?q=post&page=x")]
    [InlineData("/search?updated-max=yesterday")]
    [InlineData("/search?updated-max=2024-06-10T12:00:00Z&max-results=ten")]
    [InlineData("/search/label/Rust?updated-max=2024-13-40")]
    [InlineData("/search?q=post&before=-4")]
    public async Task NonsensePageNumbersAndTimesAreBadRequests(string url)
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("That request didn't make sense", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/?page=4")]
    [InlineData("/?page=100000")]
    [InlineData("/search/label/Rust?page=3")]
    [InlineData("/2024/05/?page=2")]
    [InlineData("/search?updated-max=2023-05-10T12:00:00Z")]
    [InlineData("/search?updated-max=1990-01-01T00:00:00Z&max-results=2")]
    [InlineData("/search/label/Rust?updated-max=2020-01-01T00:00:00Z")]
    [InlineData("/2024/05/?updated-max=2024-05-10T12:00:00Z")]
    public async Task PagesPastTheEndAreNotFound(string url)
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelPageListsItsVisiblePostsWhateverTheCaseOfTheAddress()
    {
        using var client = new BlogClient(app);

        var first = await client.GetPageAsync("/search/label/rust");
        var secondUrl = Older(first);
        var second = await client.GetPageAsync(secondUrl);
        using var draftOnly = await client.GetAsync("/search/label/Unreleased");
        using var unknown = await client.GetAsync("/search/label/nothing-here");

        Assert.Equal("Posts labelled “Rust”", first.QuerySelector("main h1")!.TextContent);
        Assert.Equal(["June post", "May first"], Titles(first));
        Assert.Equal(["Oldest post"], Titles(second));
        Assert.Equal("/search/label/Rust?updated-max=2024-05-10T12:00:00Z&max-results=2", secondUrl);
        Assert.Equal("/search/label/Rust", second.QuerySelector(".pager-newer")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.NotFound, draftOnly.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ArchivePagesListAYearOrAMonth()
    {
        using var client = new BlogClient(app);

        var year = await client.GetPageAsync("/2024/");
        var yearPage2 = await client.GetPageAsync(Older(year));
        var may = await client.GetPageAsync("/2024/05/");
        var mayNoSlash = await client.GetPageAsync("/2024/05");
        using var empty = await client.GetAsync("/2022/");
        using var badMonth = await client.GetAsync("/2024/13/");

        Assert.Equal("Posts from 2024", year.QuerySelector("main h1")!.TextContent);
        Assert.Equal(["Newest post", "June post"], Titles(year));
        Assert.Equal(["May second", "May first"], Titles(yearPage2));
        Assert.Null(yearPage2.QuerySelector(".pager-older"));
        Assert.Equal("/2024/", yearPage2.QuerySelector(".pager-newer")!.GetAttribute("href"));
        Assert.Equal("Posts from May 2024", may.QuerySelector("main h1")!.TextContent);
        Assert.Equal(["May second", "May first"], Titles(may));
        Assert.Equal(Titles(may), Titles(mayNoSlash));
        Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badMonth.StatusCode);
    }

    [Fact]
    public async Task SidebarCountsOnlyVisiblePostsByYearMonthAndLabel()
    {
        using var client = new BlogClient(app);

        var home = await client.GetPageAsync("/search/label/Ops");
        var archive = home.QuerySelector("#archive-widget-heading")!.ParentElement!;
        var labels = home.QuerySelector("#labels-widget-heading")!.ParentElement!;

        Assert.Equal(["2024 (4)", "2023 (1)"], archive.QuerySelectorAll("summary").Select(s => s.TextContent.Trim()));
        Assert.Equal(
            ["All of 2024", "July (1)", "June (1)", "May (2)"],
            archive.QuerySelectorAll("details")[0].QuerySelectorAll("li").Select(li => li.TextContent.Trim()));
        Assert.Equal("/2024/05/", archive.QuerySelector("a[href='/2024/05/']")!.GetAttribute("href"));
        Assert.Equal(["Ops (1)", "Rust (3)"], labels.QuerySelectorAll("li").Select(li => li.TextContent.Trim()));
    }

    [Fact]
    public async Task HomeLoadsEachPostsLabelsAndShowsThemAsLinks()
    {
        using var client = new BlogClient(app);

        var second = await client.GetPageAsync(Older(await client.GetPageAsync("/")));
        var may = second.QuerySelectorAll(".post-summary")[1];

        Assert.Equal(["Ops", "Rust"], may.QuerySelectorAll(".label-chip").Select(a => a.TextContent));
        Assert.Equal("/search/label/Ops", may.QuerySelector(".label-chip")!.GetAttribute("href"));
    }

    private static string Older(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector(".pager-older")!.GetAttribute("href")!;

    private static string[] Titles(AngleSharp.Html.Dom.IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".post-summary h2").Select(h => h.TextContent.Trim())];

    private int CountPosts()
    {
        using var connection = app.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM posts";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
