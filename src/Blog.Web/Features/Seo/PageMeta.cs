namespace Blog.Web.Features.Seo;

/// <summary>
/// What a page tells search engines and link previews about itself. A controller puts one in
/// <c>ViewData[PageMeta.Key]</c>; the layout's head renders it (canonical link, Open Graph, Twitter card, JSON-LD).
/// </summary>
public sealed record PageMeta
{
    public const string Key = "Meta";

    public required string Title { get; init; }

    public required string Description { get; init; }

    /// <summary>Absolute canonical address of the page.</summary>
    public required string CanonicalUrl { get; init; }

    /// <summary>Open Graph type: "website" for lists, "article" for posts and pages.</summary>
    public string OgType { get; init; } = "website";

    /// <summary>ISO 8601 publication time of an article, for article:published_time.</summary>
    public string? PublishedIso { get; init; }

    /// <summary>JSON-LD, already serialized by System.Text.Json (which escapes &lt; so it cannot close the script element).</summary>
    public string? JsonLdHtml { get; init; }
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
