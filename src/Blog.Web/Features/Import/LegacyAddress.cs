using System.Globalization;

namespace Blog.Web.Features.Import;

/// <summary>
/// The one form an old blog's address is stored and looked up in (<c>legacy_addresses.address</c>), so an address
/// read from an export and the same address requested by a reader meet: the path only (any host: the old blog may
/// have had a custom domain), percent-decoded, lower-case, without a trailing slash; of the query only WordPress's
/// <c>p</c> or <c>page_id</c>, which name a post by number.
/// </summary>
public static class LegacyAddress
{
    public const int MaxLength = 1_000;

    /// <summary>
    /// The stored form of <paramref name="address"/> (an absolute URL or a path, with or without a query), or null
    /// when it names nothing an old link could mean: the home page itself, something that is not an address, or
    /// something too long.
    /// </summary>
    public static string? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }
        address = address.Trim();
        string pathAndQuery;
        if (address.StartsWith('/') && !address.StartsWith("//", StringComparison.Ordinal))
        {
            pathAndQuery = address;
        }
        else if (Uri.TryCreate(address, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            pathAndQuery = absolute.PathAndQuery;
        }
        else
        {
            return null;
        }
        var hash = pathAndQuery.IndexOf('#');
        if (hash >= 0)
        {
            pathAndQuery = pathAndQuery[..hash];
        }
        var question = pathAndQuery.IndexOf('?');
        var rawPath = question >= 0 ? pathAndQuery[..question] : pathAndQuery;
        var query = question >= 0 ? pathAndQuery[(question + 1)..] : "";
        return FromParts(Unescape(rawPath), query);
    }

    /// <summary>The stored form of a request: its (already decoded) path and its raw query string.</summary>
    public static string? ForRequest(string path, string? query) => FromParts(path, (query ?? "").TrimStart('?'));

    private static string? FromParts(string path, string query)
    {
        path = path.ToLowerInvariant().TrimEnd('/');
        if (path.Length == 0)
        {
            path = "/";
        }
        if (!path.StartsWith('/') || path.Contains('\0'))
        {
            return null;
        }
        var id = PostNumber(query);
        var normalized = id is null ? path : path + "?" + id;
        if (normalized == "/" || normalized.Length > MaxLength)
        {
            return null;
        }
        return normalized;
    }

    /// <summary><c>page_id=N</c> or <c>p=N</c> from a query, the only keys that change what an old address names.</summary>
    private static string? PostNumber(string query)
    {
        string? p = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }
            var key = pair[..equals];
            var value = pair[(equals + 1)..];
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                continue;
            }
            if (key == "page_id")
            {
                return "page_id=" + number.ToString(CultureInfo.InvariantCulture);
            }
            if (key == "p")
            {
                p = "p=" + number.ToString(CultureInfo.InvariantCulture);
            }
        }
        return p;
    }

    private static string Unescape(string path)
    {
        try
        {
            return Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return path;
        }
    }
}
