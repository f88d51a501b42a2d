using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Features.Seo;

/// <summary>The <c>Blog:Sitemap</c> section.</summary>
public sealed class SitemapOptions
{
    public const string SectionName = "Blog:Sitemap";

    /// <summary>
    /// The most URLs in one sitemap file (sitemaps.org allows 50,000). 10,000 keep a file near 1 MB before
    /// compression, which the reader cache keeps even for a client that asks for it uncompressed.
    /// </summary>
    [Range(2, 50_000)]
    public int UrlsPerFile { get; set; } = 10_000;
}
