using System.Text.RegularExpressions;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>
/// What a visitor can tell about a response: its status, its header names, the cookies it sets (name and attributes,
/// not the sealed value) and its body, with the antiforgery token (new on every page) and the address the visitor
/// typed taken out. Two responses with equal shapes tell a visitor nothing different.
/// </summary>
public sealed partial record ResponseShape(int Status, string Headers, string Cookies, string Body)
{
    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex AntiforgeryField();

    public static async Task<ResponseShape> OfAsync(HttpResponseMessage response, string typedAddress)
    {
        var body = await response.Content.ReadAsStringAsync();
        body = AntiforgeryField().Replace(body, "<input name=\"__RequestVerificationToken\">")
            .Replace(typedAddress, "ADDRESS", StringComparison.OrdinalIgnoreCase);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Select(h => h.Key.ToLowerInvariant())
            .Order(StringComparer.Ordinal);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var setCookies)
            ? setCookies.Select(CookieWithoutValue).Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return new ResponseShape((int)response.StatusCode, string.Join(", ", headers), string.Join(" | ", cookies), body);
    }

    private static string CookieWithoutValue(string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var name = parts[0].Split('=')[0];
        return string.Join("; ", [name, .. parts.Skip(1).Select(p => p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase) ? "expires" : p)]);
    }
}
