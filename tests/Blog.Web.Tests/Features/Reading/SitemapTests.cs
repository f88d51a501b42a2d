using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Blog.Web.Features.Posts;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

/// <summary>
/// The sitemap as sitemaps.org describes it: an index at /sitemap.xml naming files of at most so many URLs. Here a
/// file holds three, so a small blog shows how the files split.
/// </summary>
public sealed class SitemapTests(SitemapTests.App app) : IClassFixture<SitemapTests.App>
{
    /// <summary>Posts, a page and drafts in a known order (their ids decide their files), three URLs a file.</summary>
    public sealed class App : ClockedBlogAppFactory, IAsyncLifetime
    {
        public App()
        {
            Settings["Blog:Sitemap:UrlsPerFile"] = "3";
        }

        /// <summary>Every address the sitemap must list, each once.</summary>
        public HashSet<string> Expected { get; } = [];

        public Task InitializeAsync()
        {
            var published = Clock.GetUtcNow().UtcDateTime.AddDays(-10);
            SeedPost Post(string title, params string[] labels) => new() { Title = title, PublishedAt = published, Labels = labels };
            SeedPost Draft(string title, params string[] labels) => new() { Title = title, Status = "draft", PublishedAt = null, Labels = labels };
            // Ids 1-13: the files of posts and pages are ids 1-3, 4-6, 7-9, 10-12 (drafts only: no file) and 13-15.
            var seeded = PostSeeder.InsertMany(this,
            [
                Post("Alpha", "Maps"), Post("Bravo", "Charts"), Draft("Charlie", "Secret"), Post("Delta"),
                new SeedPost { Kind = "page", Title = "Echo page" }, Draft("Foxtrot"), Draft("Golf"), Draft("Hotel"),
                Post("India", "Maps"), Draft("Juliet"), Draft("Kilo"), Draft("Lima"), Post("Mike", "Globes"),
            ]);
            foreach (var (id, slug) in seeded)
            {
                var path = id == 5 ? PostUrls.PagePath(slug) : PostUrls.PostPath(published, slug, TimeZoneInfo.Utc);
                if (id is 1 or 2 or 4 or 5 or 9 or 13)
                {
                    Expected.Add("http://localhost" + path);
                }
            }
            // Labels 1-4 (Maps, Charts, Secret, Globes): two a file, the first file also holding the home page.
            Expected.UnionWith(["http://localhost/", "http://localhost/search/label/Maps", "http://localhost/search/label/Charts", "http://localhost/search/label/Globes"]);
            return Task.CompletedTask;
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task TheIndexNamesFilesOfAtMostTheLimitThatListEveryVisibleAddressOnce()
    {
        using var client = new BlogClient(app);

        using var indexResponse = await client.GetAsync("/sitemap.xml");
        var index = XDocument.Parse(await indexResponse.Content.ReadAsStringAsync());
        var files = await SitemapReader.FilesAsync(client);
        var listed = new List<string>();
        foreach (var file in files)
        {
            using var response = await client.GetAsync(file);
            var urlset = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
            Assert.Equal(SitemapReader.Ns + "urlset", urlset.Name);
            Assert.InRange(urlset.Elements().Count(), 1, 3);
            foreach (var url in urlset.Elements())
            {
                Assert.Equal(SitemapReader.Ns + "url", url.Name);
                Assert.Equal([SitemapReader.Ns + "loc", SitemapReader.Ns + "lastmod"], url.Elements().Select(e => e.Name));
                Assert.True(DateTime.TryParseExact(url.Element(SitemapReader.Ns + "lastmod")!.Value, "yyyy-MM-ddTHH:mm:ssZ",
                    CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _));
                listed.Add(url.Element(SitemapReader.Ns + "loc")!.Value);
            }
        }

        Assert.Equal("application/xml", indexResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal(SitemapReader.Ns + "sitemapindex", index.Root!.Name);
        Assert.All(index.Root.Elements(), sitemap =>
        {
            Assert.Equal(SitemapReader.Ns + "sitemap", sitemap.Name);
            Assert.Equal([SitemapReader.Ns + "loc"], sitemap.Elements().Select(e => e.Name));
        });
        Assert.Equal(
            ["/sitemap-posts-1.xml", "/sitemap-posts-2.xml", "/sitemap-posts-3.xml", "/sitemap-posts-5.xml", "/sitemap-labels-1.xml", "/sitemap-labels-2.xml"],
            files);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(app.Expected.Order(), listed.Order());
    }

    [Theory]
    [InlineData("/sitemap-posts-0.xml")]
    [InlineData("/sitemap-posts-4.xml")]
    [InlineData("/sitemap-posts-99.xml")]
    [InlineData("/sitemap-labels-3.xml")]
    public async Task FilesThatWouldHoldNothingAreNotFound(string path)
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/sitemap.xml")]
    [InlineData("/sitemap-posts-2.xml")]
    [InlineData("/sitemap-labels-1.xml")]
    public async Task EachDocumentComesFromTheCacheWithLastModifiedUntilPostsChange(string path)
    {
        using var client = new BlogClient(app);

        using var first = await client.GetAsync(path);
        var lastModified = first.Content.Headers.LastModified;
        using var second = await client.GetAsync(path);
        using var unchanged = await SendAsync(client, path, lastModified);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        app.ForgetCachedPages();
        using var afterAChange = await client.GetAsync(path);
        using var changedSince = await SendAsync(client, path, lastModified);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(lastModified);
        Assert.NotNull(first.Headers.ETag);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.True(afterAChange.Content.Headers.LastModified > lastModified);
        Assert.Equal(HttpStatusCode.OK, changedSince.StatusCode);
    }

    [Fact]
    public async Task RobotsNamesTheIndex()
    {
        using var client = new BlogClient(app);

        var robots = await client.Http.GetStringAsync("/robots.txt");

        Assert.Contains("Sitemap: http://localhost/sitemap.xml", robots, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(BlogClient client, string path, DateTimeOffset? ifModifiedSince)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfModifiedSince = ifModifiedSince;
        return await client.Http.SendAsync(request);
    }
}
