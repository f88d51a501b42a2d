using System.Text;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Features.Redirects;

/// <summary>
/// Old links whose query, not their path, says where they lead, answered before the reader cache (which would
/// otherwise serve them the page the path names, since it ignores keys a page does not read): Blogger's mobile
/// variants (<c>?m=1</c>, <c>?m=0</c>) go to the same address without that key; WordPress's <c>/?p=N</c> and
/// <c>/?page_id=N</c> go to the imported post. A request without a query string costs one check.
/// </summary>
public sealed class OldQueryRedirects(RequestDelegate next)
{
    private const string MobileKey = "m";

    public async Task InvokeAsync(HttpContext context, OldAddresses oldAddresses)
    {
        var request = context.Request;
        var query = request.QueryString.Value;
        var home = request.Path.Value == "/";
        // Most queries are the pages' own keys: only an "m=" anywhere, or a query on the home page, is looked at further.
        if (string.IsNullOrEmpty(query)
            || !(home || query.Contains("m=", StringComparison.Ordinal))
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !OldAddresses.IsSafeLocalPath(request.Path.Value))
        {
            await next(context);
            return;
        }
        var withoutMobile = WithoutMobileKey(query);
        string? target = null;
        if (home && (request.Query.ContainsKey("p") || request.Query.ContainsKey("page_id")))
        {
            target = await oldAddresses.FindPostNumberAsync(query, context.RequestAborted);
        }
        if (target is null && withoutMobile is not null)
        {
            target = request.PathBase.Add(request.Path).ToUriComponent() + withoutMobile;
        }
        if (target is null)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        context.Response.Headers[HeaderNames.Location] = target;
    }

    /// <summary>
    /// The query without Blogger's mobile key (the others kept as they were written, in their order), or null when it
    /// has none. "?m=1" alone becomes "".
    /// </summary>
    internal static string? WithoutMobileKey(string query)
    {
        var pairs = query.TrimStart('?').Split('&');
        var kept = new StringBuilder();
        var found = false;
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (equals > 0 && key == MobileKey && pair[(equals + 1)..] is "0" or "1")
            {
                found = true;
                continue;
            }
            if (pair.Length > 0)
            {
                kept.Append(kept.Length == 0 ? '?' : '&').Append(pair);
            }
        }
        return found ? kept.ToString() : null;
    }
}
