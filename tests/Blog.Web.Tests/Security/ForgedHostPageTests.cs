using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Security;

/// <summary>
/// What readers and search engines are given under a forged Host or X-Forwarded-Host: feeds, the sitemap, robots.txt,
/// canonical, Open Graph and JSON-LD addresses all name the blog's configured address, and nothing echoes the forgery.
/// </summary>
public sealed partial class ForgedHostPageTests(ProxiedBlogAppFactory app) : IClassFixture<ProxiedBlogAppFactory>
{
    private const string Address = ProxiedBlogAppFactory.Address;

    /// <summary>Absolute addresses a page may name that are not the blog's: XML namespaces and schema.org's vocabulary.</summary>
    private static readonly string[] Vocabularies = ["http://www.w3.org/", "http://www.sitemaps.org/", "https://schema.org"];

    public static TheoryData<string> Forgeries() => [.. ProxiedBlogAppFactory.Forgeries.Keys];

    [GeneratedRegex(@"https?://[^\s<>""']+")]
    private static partial Regex Link();

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task EveryAbsoluteAddressOnReaderPagesAndFeedsIsTheBlogsOwn(string forgery)
    {
        var (postPath, pagePath, postId) = await SeedAsync("Forged " + forgery);
        using var reader = ProxiedBlogAppFactory.Forge(new BlogClient(app), forgery);
        var forged = ProxiedBlogAppFactory.Forgeries[forgery].Forged;
        string[] paths =
        [
            "/", postPath, pagePath, PostUrls.LabelPath("Forged " + forgery), "/feeds/posts/default", "/feeds/posts/default?alt=rss",
            "/feeds/posts/default/-/" + Uri.EscapeDataString("Forged " + forgery), "/feeds/comments/default",
            $"/feeds/{postId}/comments/default", "/sitemap.xml", "/robots.txt",
        ];

        foreach (var path in paths)
        {
            using var response = await reader.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
            Assert.DoesNotContain(forged, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(forged, response.Headers.ToString(), StringComparison.OrdinalIgnoreCase);
            var links = Link().Matches(body).Select(m => m.Value).Where(link => !Vocabularies.Any(v => link.StartsWith(v, StringComparison.Ordinal))).ToList();
            Assert.NotEmpty(links);
            Assert.All(links, link => Assert.StartsWith(Address + "/", link, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task APostsCanonicalOpenGraphAndJsonLdAddressesAreTheBlogsOwn(string forgery)
    {
        var (postPath, _, _) = await SeedAsync("Meta " + forgery);
        using var reader = ProxiedBlogAppFactory.Forge(new BlogClient(app), forgery);

        var page = await reader.GetPageAsync(postPath);
        var robots = await (await reader.GetAsync("/robots.txt")).Content.ReadAsStringAsync();

        var expected = Address + postPath;
        Assert.Equal(expected, page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal(expected, page.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
        using var jsonLd = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        Assert.Equal(expected, jsonLd.RootElement.GetProperty("url").GetString());
        Assert.Equal(Address + "/feeds/posts/default", page.QuerySelector("link[rel=alternate][type='application/atom+xml']")!.GetAttribute("href"));
        Assert.Contains($"Sitemap: {Address}/sitemap.xml", robots, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task PermanentRedirectsNameNoHost(string forgery)
    {
        var (postPath, pagePath, _) = await SeedAsync("Moved " + forgery);
        using var reader = ProxiedBlogAppFactory.Forge(new BlogClient(app), forgery);

        using var page = await reader.GetAsync(pagePath + ".html");
        using var post = await reader.GetAsync(postPath + ".html");

        Assert.Equal(HttpStatusCode.MovedPermanently, page.StatusCode);
        Assert.Equal(pagePath, page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, post.StatusCode);
        Assert.Equal(postPath, post.Headers.Location!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task TheRedirectToSignInNamesNoHost(string forgery)
    {
        using var visitor = ProxiedBlogAppFactory.Forge(new BlogClient(app), forgery);

        using var response = await visitor.GetAsync("/admin/settings");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in?ReturnUrl=%2Fadmin%2Fsettings", response.Headers.Location!.OriginalString);
    }

    /// <summary>A labelled post with an approved comment, and a page.</summary>
    private async Task<(string PostPath, string PagePath, long PostId)> SeedAsync(string label)
    {
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author);
        var publishedAt = DateTime.UtcNow.AddDays(-1);
        var post = PostSeeder.Insert(app, new SeedPost { Title = "Where links point", AuthorId = author.Id, Labels = [label], PublishedAt = publishedAt });
        var page = PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "About links" });
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        using (member)
        {
            await CommentIdAsync(member, post.Id, "A comment for the feeds");
        }
        return (PostUrls.PostPath(publishedAt, post.Slug, TimeZoneInfo.Utc), PostUrls.PagePath(page.Slug), post.Id);
    }
}
