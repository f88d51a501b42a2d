using System.Net;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Reading;

public sealed class FeedAndSeoTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task AtomFeedParsesBackWithAbsoluteLinksAuthorsLabelsAndHtmlContent()
    {
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Feed Author");
        var post = PostSeeder.Insert(app, new SeedPost { Title = "Atom entry", AuthorId = author.Id, Labels = ["Feeds"], BodyHtml = "<p>Body with <em>markup</em> &amp; more.</p>" });
        PostSeeder.Insert(app, new SeedPost { Title = "Draft entry", Status = "draft", PublishedAt = null });
        PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "A page, not a post" });
        using var client = new BlogClient(app);

        using var response = await client.GetAsync("/feeds/posts/default");
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        var feed = SyndicationFeed.Load(reader);
        var entry = feed.Items.Single(i => i.Title.Text == "Atom entry");

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(feed.Items, i => i.Title.Text is "Draft entry" or "A page, not a post");
        Assert.Equal("http://localhost" + PostUrls.PostPath(DateTime.UtcNow.AddDays(-1), post.Slug, TimeZoneInfo.Utc), entry.Links.Single(l => l.RelationshipType == "alternate").Uri.ToString());
        Assert.Equal("Feed Author", entry.Authors.Single().Name);
        Assert.Equal(["Feeds"], entry.Categories.Select(c => c.Name));
        Assert.Equal("<p>Body with <em>markup</em> &amp; more.</p>", ((TextSyndicationContent)entry.Content).Text);
        Assert.True(feed.LastUpdatedTime >= entry.LastUpdatedTime);
        Assert.True(entry.LastUpdatedTime > DateTimeOffset.UtcNow.AddDays(-2));
    }

    [Fact]
    public async Task RssFeedIsValidRssTwoWithTheSamePosts()
    {
        PostSeeder.Insert(app, new SeedPost { Title = "RSS entry", Labels = ["Feeds"] });
        using var client = new BlogClient(app);

        using var response = await client.GetAsync("/feeds/posts/default?alt=rss");
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        using var reader = xml.CreateReader();
        var feed = SyndicationFeed.Load(reader);

        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("rss", xml.Root!.Name.LocalName);
        Assert.Equal("2.0", xml.Root.Attribute("version")!.Value);
        Assert.Contains(feed.Items, i => i.Title.Text == "RSS entry" && i.Links[0].Uri.IsAbsoluteUri && i.PublishDate.Year > 2000);
    }

    [Theory]
    [InlineData("/feeds/posts/default")]
    [InlineData("/feeds/posts/default/-/SelfLinks")]
    public async Task EachFormatsSelfLinkIsItsOwnAddress(string path)
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Self link entry", Labels = ["SelfLinks"] });
        XNamespace atom = "http://www.w3.org/2005/Atom";
        using var client = new BlogClient(app);

        var atomFeed = XDocument.Parse(await (await client.GetAsync(path)).Content.ReadAsStringAsync());
        var rssFeed = XDocument.Parse(await (await client.GetAsync(path + "?alt=rss")).Content.ReadAsStringAsync());
        var atomSelf = atomFeed.Root!.Elements(atom + "link").Single(l => (string?)l.Attribute("rel") == "self");
        var rssSelf = rssFeed.Root!.Element("channel")!.Elements(atom + "link").Single(l => (string?)l.Attribute("rel") == "self");

        Assert.Equal("http://localhost" + path, (string?)atomSelf.Attribute("href"));
        Assert.Equal("application/atom+xml", (string?)atomSelf.Attribute("type"));
        Assert.Equal("http://localhost" + path + "?alt=rss", (string?)rssSelf.Attribute("href"));
        Assert.Equal("application/rss+xml", (string?)rssSelf.Attribute("type"));
    }

    [Fact]
    public async Task RssDescriptionsAreEncodedTextSoReadersNeverSeeMarkupInThem()
    {
        var subtitle = "<svg onload=alert(1)> & friends " + Guid.NewGuid().ToString("N");
        PostSeeder.Insert(app, new SeedPost { Title = "Plain text subtitle", Subtitle = subtitle });
        using var client = new BlogClient(app);

        using var response = await client.GetAsync("/feeds/posts/default?alt=rss");
        var rss = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var item = rss.Descendants("item").Single(i => (string?)i.Element("title") == "Plain text subtitle");

        // RSS readers render description as HTML: the text must arrive as encoded HTML showing the same words.
        Assert.Equal(System.Net.WebUtility.HtmlEncode(subtitle), (string?)item.Element("description"));
        Assert.Equal(subtitle, BlogClient.Parse((string?)item.Element("description") ?? "").Body!.TextContent);
    }

    [Fact]
    public async Task LabelsWithASlashHaveWorkingPagesAndFeeds()
    {
        var label = "in/out " + Guid.NewGuid().ToString("N")[..6];
        PostSeeder.Insert(app, new SeedPost { Title = "Slashed label post", Labels = [label] });
        using var client = new BlogClient(app);

        using var page = await client.GetAsync(PostUrls.LabelPath(label));
        using var feed = await client.GetAsync("/feeds/posts/default/-/" + Uri.EscapeDataString(label));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Slashed label post", await BlogClient.TextOfAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
    }

    [Fact]
    public async Task LabelFeedHoldsOnlyThatLabelsPosts()
    {
        PostSeeder.Insert(app, new SeedPost { Title = "Knitting pattern", Labels = ["Knitting"] });
        PostSeeder.Insert(app, new SeedPost { Title = "Unrelated", Labels = ["Cooking"] });
        using var client = new BlogClient(app);

        using var atom = XmlReader.Create(await client.Http.GetStreamAsync("/feeds/posts/default/-/knitting"));
        var feed = SyndicationFeed.Load(atom);
        using var unknown = await client.GetAsync("/feeds/posts/default/-/no-such-label");
        using var badAlt = await client.GetAsync("/feeds/posts/default?alt=<x>");

        Assert.Equal(["Knitting pattern"], feed.Items.Select(i => i.Title.Text));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAlt.StatusCode);
    }

    [Fact]
    public async Task EveryPageAdvertisesTheAtomAndRssFeeds()
    {
        using var client = new BlogClient(app);

        var home = await client.GetPageAsync("/");
        var search = await client.GetPageAsync("/search?q=x");

        foreach (var page in new[] { home, search })
        {
            Assert.Equal("http://localhost/feeds/posts/default", page.QuerySelector("head link[rel=alternate][type='application/atom+xml']")!.GetAttribute("href"));
            Assert.Equal("http://localhost/feeds/posts/default?alt=rss", page.QuerySelector("head link[rel=alternate][type='application/rss+xml']")!.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task PostPageCarriesTitleDescriptionCanonicalOpenGraphAndJsonLd()
    {
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author, displayName: "Seo Author");
        var post = PostSeeder.Insert(app, new SeedPost
        {
            Title = "Breaking </script><script>alert(1)</script> out", Subtitle = "A subtitle for previews",
            AuthorId = author.Id, Labels = ["Web"],
        });
        var path = PostUrls.PostPath(DateTime.UtcNow.AddDays(-1), post.Slug, TimeZoneInfo.Utc);
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var page = BlogClient.Parse(html);
        var scripts = page.QuerySelectorAll("script");
        using var json = JsonDocument.Parse(scripts.Single().TextContent);

        Assert.Equal("Breaking </script><script>alert(1)</script> out · My Quire blog", page.Title);
        Assert.Equal("A subtitle for previews", page.QuerySelector("meta[name=description]")!.GetAttribute("content"));
        Assert.Equal("http://localhost" + path, page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal("article", page.QuerySelector("meta[property='og:type']")!.GetAttribute("content"));
        Assert.Equal("Breaking </script><script>alert(1)</script> out", page.QuerySelector("meta[property='og:title']")!.GetAttribute("content"));
        Assert.Equal("summary", page.QuerySelector("meta[name='twitter:card']")!.GetAttribute("content"));
        Assert.Equal("application/ld+json", scripts.Single().GetAttribute("type"));
        Assert.Equal("BlogPosting", json.RootElement.GetProperty("@type").GetString());
        Assert.Equal("Breaking </script><script>alert(1)</script> out", json.RootElement.GetProperty("headline").GetString());
        Assert.Equal("Seo Author", json.RootElement.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("http://localhost" + path, json.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public async Task SitemapListsHomeVisiblePostsPagesAndLabelsWithLastmod()
    {
        var post = PostSeeder.Insert(app, new SeedPost { Title = "Mapped post", Labels = ["Cartography"], UpdatedAt = DateTime.UtcNow.AddHours(-2) });
        var page = PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "Mapped page" });
        var draft = PostSeeder.Insert(app, new SeedPost { Title = "Unmapped draft", Status = "draft", PublishedAt = null, Labels = ["Secret"] });
        using var client = new BlogClient(app);

        var urls = await SitemapReader.UrlsAsync(client);

        Assert.Contains("http://localhost/", urls.Keys);
        var postUrl = "http://localhost" + PostUrls.PostPath(DateTime.UtcNow.AddDays(-1), post.Slug, TimeZoneInfo.Utc);
        Assert.True(DateTimeOffset.Parse(urls[postUrl]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddHours(-3));
        Assert.Contains("http://localhost/p/" + page.Slug, urls.Keys);
        Assert.NotNull(urls["http://localhost/search/label/Cartography"]);
        Assert.DoesNotContain(urls.Keys, u => u.Contains(draft.Slug, StringComparison.Ordinal) || u.EndsWith("/Secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RobotsNamesTheSitemapByItsAbsoluteAddress()
    {
        using var client = new BlogClient(app);

        using var response = await client.GetAsync("/robots.txt");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("User-agent: *", text, StringComparison.Ordinal);
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", text, StringComparison.Ordinal);
    }
}
