using System.Net;

namespace Blog.Web.Features.IndieAuth;

/// <summary>
/// The rules for an app's identity (client_id) and the address its code is sent to (redirect_uri). The blog does not
/// fetch the app's page, so an app may only be sent back to its own origin: anything else could hand a code to a
/// stranger who merely named a well-known app.
/// </summary>
public static class ClientAddresses
{
    public const int MaxLength = 500;

    /// <summary>
    /// A client_id as IndieAuth allows it: an https (or, for an app on the person's own machine, http loopback) URL
    /// with a path, no fragment, no user name or password, no dot segments, and a host name rather than an address.
    /// </summary>
    public static bool TryParseClientId(string? text, out Uri clientId, out string problem) =>
        TryParse(text, "client_id", out clientId, out problem);

    /// <summary>A redirect_uri under the same rules, on the very scheme, host and port of <paramref name="clientId"/>.</summary>
    public static bool TryParseRedirectUri(string? text, Uri clientId, out Uri redirectUri, out string problem)
    {
        if (!TryParse(text, "redirect_uri", out redirectUri, out problem))
        {
            return false;
        }
        if (Uri.Compare(redirectUri, clientId, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            problem = "The redirect_uri is not on the app's own site (the scheme, host and port of its client_id), so the blog cannot tell that it belongs to the app.";
            return false;
        }
        return true;
    }

    private static bool TryParse(string? text, string name, out Uri uri, out string problem)
    {
        uri = null!;
        problem = "";
        if (string.IsNullOrEmpty(text))
        {
            problem = $"The app sent no {name}.";
            return false;
        }
        if (text.Length > MaxLength || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problem = $"The {name} is not a usable address (too long, or it holds spaces or control characters).";
            return false;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
            || !text.StartsWith(parsed.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"The {name} must be a full https address.";
            return false;
        }
        if (parsed.Fragment.Length > 0 || text.Contains('#', StringComparison.Ordinal))
        {
            problem = $"The {name} must not have a fragment (#…).";
            return false;
        }
        if (parsed.UserInfo.Length > 0 || text.AsSpan(parsed.Scheme.Length + 3).IndexOfAny('@', '\\') >= 0)
        {
            problem = $"The {name} must not hold a user name or password.";
            return false;
        }
        // Uri quietly removes "." and ".." segments: look at the text as sent, where they would change the meaning.
        var path = text[(parsed.Scheme.Length + 3)..].Split('?')[0];
        if (path.Split('/').Skip(1).Any(segment => segment is "." or ".." || segment.Equals("%2e", StringComparison.OrdinalIgnoreCase)
            || segment.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase) || segment.Equals(".%2e", StringComparison.OrdinalIgnoreCase)
            || segment.Equals("%2e.", StringComparison.OrdinalIgnoreCase)))
        {
            problem = $"The {name} must not hold . or .. path segments.";
            return false;
        }
        var loopback = IsLoopback(parsed);
        if (parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && !loopback)
        {
            problem = $"The {name} must name its host, not an IP address.";
            return false;
        }
        if (parsed.Scheme == Uri.UriSchemeHttp && !loopback)
        {
            problem = $"The {name} must be an https address (http is only for an app on this very computer: localhost).";
            return false;
        }
        uri = parsed;
        return true;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback && (uri.HostNameType == UriHostNameType.Dns
            ? uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            : IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>What the consent page calls an app that has told the blog nothing about itself: its host.</summary>
    public static string DisplayName(Uri clientId) => clientId.IsDefaultPort ? clientId.IdnHost : $"{clientId.IdnHost}:{clientId.Port}";
}
