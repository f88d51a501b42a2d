using Microsoft.AspNetCore.OutputCaching;

namespace Blog.Web.Hosting;

/// <summary>What a request knows about the reader page it is rendering (see <see cref="ReaderPageAttribute"/>).</summary>
public static class ReaderPageRequests
{
    /// <summary>Adds a tag to the cache entry of the page being rendered, e.g. <see cref="ReaderCache.PostTag"/>.</summary>
    public static void TagReaderPage(this HttpContext context, string tag) =>
        context.Features.Get<IOutputCacheFeature>()?.Context.Tags.Add(tag);

    /// <summary>
    /// This request's address as the page reads it: the path and, on a reader page, only the query keys the page
    /// reads (<see cref="ReaderPageAttribute.QueryKeys"/>). What a cached page links back to (the sign-in link's
    /// return address) must not carry keys its cache entry ignores, or one visitor's made-up key would be shown
    /// to everyone served that entry.
    /// </summary>
    public static string AddressAsRead(this HttpContext context)
    {
        var request = context.Request;
        var path = request.Path;
        var page = context.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>();
        if (page is null)
        {
            return path + request.QueryString;
        }
        var query = QueryString.Create(page.QueryKeys
            .SelectMany(key => request.Query[key].Select(value => new KeyValuePair<string, string?>(key, value))));
        return path + query;
    }

    /// <summary>True when this request is an anonymous read of a page marked <see cref="ReaderPageAttribute"/>.</summary>
    public static bool IsAnonymousReaderRequest(this HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>() is not null
        && context.RequestServices.GetRequiredService<ReaderCache>().IsAnonymousRead(context.Request);
}
