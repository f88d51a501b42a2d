using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Blog.Web.Features.Seo;

/// <summary>
/// What a page says about itself: the title in the browser tab, the description for search results and, for
/// readers' pages with a canonical address, what search engines and link previews see (canonical link, Open Graph,
/// Twitter card, JSON-LD). A controller or the page's view sets one (<see cref="PageMetaViewData"/>); the layout
/// renders it.
/// </summary>
public sealed record PageMeta
{
    public required string Title { get; init; }

    /// <summary>For the meta description and link previews alike, so they agree; null means the blog's own.</summary>
    public string? Description { get; init; }

    /// <summary>Absolute canonical address of the page; link previews are offered only for pages that have one.</summary>
    public string? CanonicalUrl { get; init; }

    /// <summary>Open Graph type: "website" for lists, "article" for posts and pages.</summary>
    public string OgType { get; init; } = "website";

    /// <summary>ISO 8601 publication time of an article, for article:published_time.</summary>
    public string? PublishedIso { get; init; }

    /// <summary>JSON-LD, already serialized by System.Text.Json (which escapes &lt; so it cannot close the script element).</summary>
    public string? JsonLdHtml { get; init; }

    /// <summary>A feed of only this page's posts (a label's), offered beside the blog's own feeds.</summary>
    public string? FeedPath { get; init; }

    /// <summary>The picture link previews show (a post's cover); with one, the Twitter card is the large kind.</summary>
    public PageImage? Image { get; init; }
}

/// <summary>A picture for link previews: an absolute address, its size in pixels and its text alternative.</summary>
public sealed record PageImage(string Url, int Width, int Height, string Alt);

/// <summary>The one place a page's <see cref="PageMeta"/> is kept for the layout.</summary>
public static class PageMetaViewData
{
    private const string Key = "Meta";

    public static PageMeta? GetPageMeta(this ViewDataDictionary viewData) => viewData[Key] as PageMeta;

    public static void SetPageMeta(this ViewDataDictionary viewData, PageMeta meta) => viewData[Key] = meta;

    /// <summary>For a page that has only a title to give (forms, messages, the owner's pages).</summary>
    public static void SetPageTitle(this ViewDataDictionary viewData, string title) =>
        viewData.SetPageMeta(new PageMeta { Title = title });
}

/// <summary>
/// The blog's canonical address (<see cref="Hosting.CanonicalAddress"/>) for code that has a request at hand. The
/// request only leads to the app's services: its Host, scheme and forwarded headers are never read, because any
/// client can forge them.
/// </summary>
public static class SiteAddress
{
    public static string Base(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<Hosting.CanonicalAddress>().Base;

    public static string Absolute(HttpRequest request, string path) => Base(request) + path;
}
