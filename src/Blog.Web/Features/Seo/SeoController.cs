using System.Globalization;
using System.Text;
using System.Xml;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Seo;

/// <summary>
/// The sitemap and /robots.txt: what search engines should crawl. /sitemap.xml is a sitemap index naming the files
/// of posts and pages (/sitemap-posts-N.xml) and of the home page and label pages (/sitemap-labels-N.xml), none of
/// them holding more than <see cref="SitemapOptions.UrlsPerFile"/> URLs. Each is written as it is read from the
/// database, cached like every reader page and sent with Last-Modified and an ETag.
/// </summary>
[ReaderPage]
public sealed class SeoController(
    SitemapQueries sitemap, SiteSettingsStore settings, ReaderCache cache, IOptions<SitemapOptions> options, TimeProvider clock) : Controller
{
    private const string Ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [HttpGet("/sitemap.xml")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var contentFiles = await sitemap.ContentFilesAsync(PerFile, Now, ct);
        var labelFiles = await sitemap.LabelFilesAsync(LabelsPerFile, Now, ct);
        // The first file of labels also holds the home page, so it is there even when no label is.
        IEnumerable<int> labelFilesWithHome = labelFiles.Contains(1) ? labelFiles : [1, .. labelFiles];
        return Xml("sitemapindex", async writer =>
        {
            foreach (var path in contentFiles.Select(PostsFile).Concat(labelFilesWithHome.Select(LabelsFile)))
            {
                await writer.WriteStartElementAsync(null, "sitemap", Ns);
                await writer.WriteElementStringAsync(null, "loc", Ns, SiteAddress.Absolute(Request, path));
                await writer.WriteEndElementAsync();
            }
        });
    }

    [HttpGet("/sitemap-posts-{file:int}.xml")]
    public async Task<IActionResult> Posts(int file, CancellationToken ct)
    {
        if (file < 1 || !await sitemap.HasContentAsync(file, PerFile, Now, ct))
        {
            return NotFound();
        }
        var zone = PostUrls.TimeZone((await settings.GetAsync(ct)).TimeZone);
        return Xml("urlset", async writer =>
        {
            await foreach (var entry in sitemap.ContentAsync(file, PerFile, Now, ct))
            {
                var path = entry.Kind == PostKind.Post ? PostUrls.PostPath(entry.PublishedAt, entry.Slug, zone) : PostUrls.PagePath(entry.Slug);
                await WriteUrlAsync(writer, path, PostsController.Later(entry.UpdatedAt, entry.PublishedAt));
            }
        });
    }

    [HttpGet("/sitemap-labels-{file:int}.xml")]
    public async Task<IActionResult> Labels(int file, CancellationToken ct)
    {
        if (file < 1 || (file > 1 && !await sitemap.HasLabelsAsync(file, LabelsPerFile, Now, ct)))
        {
            return NotFound();
        }
        DateTime? homeModified = file == 1 ? await sitemap.HomeLastModifiedAsync(Now, (await settings.GetAsync(ct)).PostsPerPage, ct) : null;
        return Xml("urlset", async writer =>
        {
            if (file == 1)
            {
                await WriteUrlAsync(writer, "/", homeModified);
            }
            await foreach (var label in sitemap.LabelsAsync(file, LabelsPerFile, Now, ct))
            {
                await WriteUrlAsync(writer, PostUrls.LabelPath(label.Name), label.NewestPublishedAt);
            }
        });
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

    public static string PostsFile(int file) => string.Create(CultureInfo.InvariantCulture, $"/sitemap-posts-{file}.xml");

    public static string LabelsFile(int file) => string.Create(CultureInfo.InvariantCulture, $"/sitemap-labels-{file}.xml");

    private int PerFile => options.Value.UrlsPerFile;

    /// <summary>Label ids per file: one URL fewer, as the first file also lists the home page.</summary>
    private int LabelsPerFile => options.Value.UrlsPerFile - 1;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Nothing in a sitemap changes but with posts, pages or labels: each of them evicts the cache.</summary>
    private SitemapResult Xml(string root, Func<XmlWriter, Task> writeEntries) => new(root, Ns, cache.PostsChangedAtAsync, writeEntries);

    private async Task WriteUrlAsync(XmlWriter writer, string path, DateTime? lastModifiedUtc)
    {
        await writer.WriteStartElementAsync(null, "url", Ns);
        await writer.WriteElementStringAsync(null, "loc", Ns, SiteAddress.Absolute(Request, path));
        if (lastModifiedUtc is { } modified)
        {
            await writer.WriteElementStringAsync(null, "lastmod", Ns,
                DateTime.SpecifyKind(modified, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }
        await writer.WriteEndElementAsync();
    }
}

/// <summary>
/// A sitemap document written with <see cref="XmlWriter"/> straight to the response as its entries are read, with
/// Last-Modified set to what <paramref name="lastModified"/> says: the last change to posts.
/// </summary>
public sealed class SitemapResult(string root, string ns, Func<CancellationToken, ValueTask<DateTimeOffset>> lastModified, Func<XmlWriter, Task> writeEntries) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.ContentType = "application/xml; charset=utf-8";
        response.Headers.LastModified = Microsoft.Net.Http.Headers.HeaderUtilities.FormatDate(await lastModified(context.HttpContext.RequestAborted));
        // Async only: the server refuses synchronous writes to a response.
        await using var writer = XmlWriter.Create(response.Body, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false) });
        await writer.WriteStartDocumentAsync();
        await writer.WriteStartElementAsync(null, root, ns);
        await writeEntries(writer);
        await writer.WriteEndElementAsync();
        await writer.WriteEndDocumentAsync();
        await writer.FlushAsync();
    }
}
