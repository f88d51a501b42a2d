using System.Globalization;
using System.Xml;
using Blog.Web.Features.Import;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Export;

/// <summary>Writes the whole blog in one of the formats other blogs import, to any stream (a download, a file).</summary>
public sealed class BlogExporter(
    BloggerExport blogger, WordPressExport wordPress, SiteSettingsStore settings, CanonicalAddress address, TimeProvider clock)
{
    /// <summary>The formats by the names the page and the command use.</summary>
    public static readonly IReadOnlyDictionary<string, ExportFormat> Formats = new Dictionary<string, ExportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["blogger"] = ExportFormat.BloggerClassic,
        ["wordpress"] = ExportFormat.WordPress,
    };

    public static string ContentType(ExportFormat format) =>
        format == ExportFormat.WordPress ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8";

    /// <summary>e.g. <c>blog-example-com-wordpress-20261202.xml</c>: which blog, which format, which day.</summary>
    public string FileName(ExportFormat format)
    {
        var host = Uri.TryCreate(address.Base, UriKind.Absolute, out var uri) ? uri.Host : "blog";
        var name = format == ExportFormat.WordPress ? "wordpress" : "blogger";
        var day = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return $"{Content.Slugs.FromTitle(host)}-{name}-{day}.xml";
    }

    public async Task WriteAsync(ExportFormat format, Stream output, CancellationToken ct)
    {
        var site = await SiteAsync(ct);
        await using var xml = XmlWriter.Create(output, ExportXml.Settings);
        switch (format)
        {
            case ExportFormat.WordPress:
                await wordPress.WriteAsync(xml, site, ct);
                break;
            case ExportFormat.BloggerClassic:
                await blogger.WriteAsync(xml, site, ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Quire exports Blogger's classic format and WordPress's.");
        }
    }

    private async Task<ExportSite> SiteAsync(CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        return new ExportSite
        {
            Title = site.Title,
            Description = site.Description,
            Base = address.Base,
            TimeZone = PostUrls.TimeZone(site.TimeZone),
            Now = clock.GetUtcNow().UtcDateTime,
        };
    }
}
