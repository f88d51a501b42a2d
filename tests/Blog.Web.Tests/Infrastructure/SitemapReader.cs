using System.Net;
using System.Xml.Linq;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>Reads the blog's sitemap as a search engine does: the index at /sitemap.xml, then each file it names.</summary>
public static class SitemapReader
{
    public static readonly XNamespace Ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /// <summary>The loc of every entry of a sitemap or sitemap index document.</summary>
    public static IReadOnlyList<string> Locations(string xml) =>
        [.. XDocument.Parse(xml).Root!.Elements().Select(entry => entry.Element(Ns + "loc")!.Value)];

    /// <summary>The paths of the files the index names.</summary>
    public static async Task<IReadOnlyList<string>> FilesAsync(BlogClient client)
    {
        using var index = await client.GetAsync("/sitemap.xml");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        return [.. Locations(await index.Content.ReadAsStringAsync()).Select(url => new Uri(url).PathAndQuery)];
    }

    /// <summary>Every URL of every file, with its lastmod (null when it has none).</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> UrlsAsync(BlogClient client)
    {
        var urls = new Dictionary<string, string?>();
        foreach (var file in await FilesAsync(client))
        {
            using var response = await client.GetAsync(file);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var url in XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(Ns + "url"))
            {
                urls.Add(url.Element(Ns + "loc")!.Value, url.Element(Ns + "lastmod")?.Value);
            }
        }
        return urls;
    }
}
