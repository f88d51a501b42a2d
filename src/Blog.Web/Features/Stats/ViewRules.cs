using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace Blog.Web.Features.Stats;

/// <summary>
/// Which requests are a person reading, and what of a request may be kept. Pure functions over the request's
/// headers: they run on every reader request, so they allocate nothing for a request that is not counted.
/// </summary>
public static class ViewRules
{
    /// <summary>The longest search term kept; longer ones are cut, so a flood of long queries cannot grow memory.</summary>
    public const int MaxSearchTermLength = 80;

    /// <summary>Only this much of the user agent goes into the visitor hash: the rest adds nothing but cost.</summary>
    public const int MaxUserAgentLength = 512;

    private const int MaxRefererLength = 2048;

    // The longest name DNS allows.
    private const int MaxDomainLength = 253;

    // Substrings of the user agents of crawlers, link previewers, monitors and scripts. Not exhaustive, and no list
    // can be: a bot that passes itself off as a browser is counted, as it would be by any log-based counter.
    private static readonly SearchValues<string> BotMarkers = SearchValues.Create(
        [
            "bot", "crawl", "spider", "slurp", "facebookexternalhit", "curl", "wget", "python-requests", "python-urllib",
            "httpclient", "go-http-client", "java/", "okhttp", "libwww", "headless", "lighthouse", "pingdom", "uptime",
            "monitor", "preview", "feedfetcher", "scrapy", "phantomjs", "axios", "node-fetch",
        ],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> PrefetchMarkers = SearchValues.Create(
        ["prefetch", "prerender", "preview"], StringComparison.OrdinalIgnoreCase);

    /// <summary>An empty user agent is a script: browsers always send one.</summary>
    public static bool IsBot(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || userAgent.AsSpan().ContainsAny(BotMarkers);

    /// <summary>
    /// A browser fetching a page the reader may never open (link prefetch, speculative prerender, Safari's preview):
    /// Sec-Purpose is the standard header, Purpose and X-Moz older ones, X-Purpose Safari's.
    /// </summary>
    public static bool IsSpeculative(IHeaderDictionary headers) =>
        Names(headers["Sec-Purpose"]) || Names(headers["Purpose"]) || Names(headers["X-Moz"]) || Names(headers["X-Purpose"]);

    /// <summary>Global Privacy Control or Do Not Track: such a reader is not counted at all, not even as a number.</summary>
    public static bool AsksNotToBeTracked(IHeaderDictionary headers) =>
        headers["Sec-GPC"] == "1" || headers["DNT"] == "1";

    /// <summary>
    /// The site a reader came from: the Referer's host, lower-case, without "www." (one site, however it is linked),
    /// or null when there is none, it is not a web address, or it is this blog itself.
    /// </summary>
    public static string? ReferringDomain(string? referer, string? ownDomain)
    {
        if (string.IsNullOrEmpty(referer) || referer.Length > MaxRefererLength
            || !Uri.TryCreate(referer, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }
        string domain;
        try
        {
            domain = SiteDomain(uri);
        }
        catch (UriFormatException)
        {
            // A host Uri accepts but IDN rules do not (e.g. a character no domain may hold): no site to name.
            return null;
        }
        return domain.Length is 0 or > MaxDomainLength || string.Equals(domain, ownDomain, StringComparison.Ordinal) ? null : domain;
    }

    /// <summary>The domain an address belongs to, as referring domains are recorded ("www." dropped, punycode for IDNs).</summary>
    public static string SiteDomain(Uri address)
    {
        var host = address.IdnHost.ToLowerInvariant().TrimEnd('.');
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    /// <summary>
    /// A search as it is counted: trimmed, lower-case, runs of white space as one space, control characters dropped,
    /// at most <see cref="MaxSearchTermLength"/> characters (never cutting a surrogate pair); null when nothing is left.
    /// </summary>
    public static string? SearchTerm(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return null;
        }
        var term = new System.Text.StringBuilder(Math.Min(query.Length, MaxSearchTermLength));
        var pendingSpace = false;
        foreach (var rune in query.EnumerateRunes())
        {
            if (System.Text.Rune.IsWhiteSpace(rune) || System.Text.Rune.IsControl(rune))
            {
                pendingSpace = term.Length > 0;
                continue;
            }
            var text = System.Text.Rune.ToLowerInvariant(rune).ToString();
            var needed = text.Length + (pendingSpace ? 1 : 0);
            if (term.Length + needed > MaxSearchTermLength)
            {
                break;
            }
            if (pendingSpace)
            {
                term.Append(' ');
                pendingSpace = false;
            }
            term.Append(text);
        }
        return term.Length == 0 ? null : term.ToString();
    }

    private static bool Names(StringValues values)
    {
        foreach (var value in values)
        {
            if (value is not null && value.AsSpan().ContainsAny(PrefetchMarkers))
            {
                return true;
            }
        }
        return false;
    }
}
