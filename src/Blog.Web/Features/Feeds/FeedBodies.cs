using System.Text.RegularExpressions;

namespace Blog.Web.Features.Feeds;

/// <summary>
/// A post's stored HTML as a feed carries it. Feed readers show an entry away from the blog, where the relative
/// addresses of its pictures (<c>/media/…</c>) would point at the reader's own host: they are made absolute.
/// </summary>
public static partial class FeedBodies
{
    public static string WithAbsoluteMedia(string bodyHtml, string siteBase) =>
        bodyHtml.Contains("/media/", StringComparison.Ordinal)
            ? MediaAddressInAttribute().Replace(bodyHtml, siteBase + "/media/")
            : bodyHtml;

    // A media address that starts a src, srcset or href value, or a later srcset candidate. The stored HTML comes
    // from the sanitizer, which always writes attribute values in double quotes.
    [GeneratedRegex("""(?<=\s(?:src|srcset|href)="(?:[^"]*,\s*)?)/media/""", RegexOptions.CultureInvariant)]
    private static partial Regex MediaAddressInAttribute();
}
