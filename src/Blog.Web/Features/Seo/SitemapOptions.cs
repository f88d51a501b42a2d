using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Features.Seo;

/// <summary>The <c>Blog:Sitemap</c> section.</summary>
public sealed class SitemapOptions
{
    public const string SectionName = "Blog:Sitemap";

    /// <summary>
    /// The most URLs in one sitemap file (sitemaps.org allows 50,000). 2,000 keep a file near 200 KB before
    /// compression, so that rendering one and keeping it in the reader cache take little memory.
    /// </summary>
    [Range(2, 50_000)]
    public int UrlsPerFile { get; set; } = 2_000;
}
