using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Blog.Web.Features.Labels;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Seo;

/// <summary>/sitemap.xml and /robots.txt: what search engines should crawl.</summary>
[ReaderPage]
public sealed class SeoController(SitemapQueries sitemap, LabelQueries labels, SiteSettingsStore settings, TimeProvider clock) : Controller
{
    private static readonly XNamespace Ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [HttpGet("/sitemap.xml")]
    public async Task<IActionResult> Sitemap(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var site = await settings.GetAsync(ct);
        var zone = PostUrls.TimeZone(site.TimeZone);
        var entries = await sitemap.EntriesAsync(now, ct);
        var labelCounts = await labels.CountsAsync(now, ct);

        var posts = entries.Where(e => e.Kind == "post").ToList();
        var urls = new List<XElement>
        {
            SitemapUrl("/", posts.Count == 0 ? null : posts.Max(e => PostsController.Later(e.UpdatedAt, e.PublishedAt))),
        };
        urls.AddRange(entries.Select(e => SitemapUrl(
            e.Kind == "post" ? PostUrls.PostPath(e.PublishedAt, e.Slug, zone) : PostUrls.PagePath(e.Slug),
            PostsController.Later(e.UpdatedAt, e.PublishedAt))));
        urls.AddRange(labelCounts.Select(l => SitemapUrl(PostUrls.LabelPath(l.Name), l.LastUpdatedAt)));

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Ns + "urlset", urls));
        return Content(document.Declaration + "\n" + document.ToString(SaveOptions.None), "application/xml; charset=utf-8", Encoding.UTF8);
    }

    [HttpGet("/robots.txt")]
    public IActionResult Robots()
    {
        var text = $"""
            User-agent: *
            Disallow: /admin/
            Disallow: /account/
            Allow: /

            Sitemap: {SiteAddress.Absolute(Request, "/sitemap.xml")}

            """;
        return Content(text, "text/plain; charset=utf-8", Encoding.UTF8);
    }

    private XElement SitemapUrl(string path, DateTime? lastModifiedUtc)
    {
        var url = new XElement(Ns + "url", new XElement(Ns + "loc", SiteAddress.Absolute(Request, path)));
        if (lastModifiedUtc is { } modified)
        {
            url.Add(new XElement(Ns + "lastmod", DateTime.SpecifyKind(modified, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }
        return url;
    }
}
