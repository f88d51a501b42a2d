using System.Xml.Linq;
using Blog.Web.Content;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Feeds;

/// <summary>Feed readers show entries away from the blog: the pictures in them must name the blog's address.</summary>
public sealed class FeedPictureTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Theory]
    [InlineData("/feeds/posts/default")]
    [InlineData("/feeds/posts/default?alt=rss")]
    public async Task PicturesInFeedEntriesUseAbsoluteMediaAddresses(string feed)
    {
        var picture = PictureSeeder.Insert(app, 1200, 900, altText: "A harbour");
        var markdown = $"![]({picture.MarkdownAddress})\n\n[The full size]({picture.MarkdownAddress}) and `src=\"/media/ in code`.";
        var body = (await app.Services.GetRequiredService<PostRenderer>().RenderAsync(markdown)).Body!;
        PostSeeder.Insert(app, new SeedPost { Title = "Harbour pictures " + Guid.NewGuid().ToString("N")[..6], BodyHtml = body.Html });
        using var client = new BlogClient(app);

        using var response = await client.GetAsync(feed);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        var content = xml.Descendants(Atom + "content").Concat(xml.Descendants("description"))
            .Select(e => e.Value).First(v => v.Contains(picture.Hash, StringComparison.Ordinal));
        var entry = BlogClient.Parse("<body>" + content + "</body>");
        var addresses = entry.QuerySelectorAll("img, source").SelectMany(e => new[] { e.GetAttribute("src") }
            .Concat((e.GetAttribute("srcset") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split(' ')[0])))
            .OfType<string>().ToList();
        Assert.Equal(7, addresses.Count);
        Assert.All(addresses, a => Assert.StartsWith($"http://localhost/media/{picture.Hash}-", a, StringComparison.Ordinal));
        Assert.Equal("http://localhost" + picture.MarkdownAddress, entry.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("src=\"/media/ in code", entry.QuerySelector("code")!.TextContent, StringComparison.Ordinal);
    }
}
