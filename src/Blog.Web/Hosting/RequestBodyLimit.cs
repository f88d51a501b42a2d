using Microsoft.AspNetCore.Http.Features;

namespace Blog.Web.Hosting;

/// <summary>
/// The size limit of an upload's body, set by the action that receives it. It only takes effect while nothing has read
/// the body yet, so an action that uses it takes no parameters: any would make MVC read the whole form first, to bind
/// them from it, under the server's general limit instead.
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>
    /// Caps the request's body at <paramref name="limit"/> bytes where the server lets an app do that (Kestrel does;
    /// reading further then fails with a 413). False when the request already declares a longer body.
    /// </summary>
    public static bool Apply(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }
        return !(context.Request.ContentLength > limit);
    }
}
