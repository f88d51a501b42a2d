using System.Collections.Concurrent;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Search;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace Blog.Web.Features.Stats;

/// <summary>
/// Counts reader requests as they leave: it looks only at the request and the response status, and hands the
/// count to <see cref="ViewCounter"/> in memory. Placed before the reader cache, so pages served from it count too.
/// </summary>
public sealed class ViewCounting(RequestDelegate next, ViewCounter counter)
{
    private readonly ConcurrentDictionary<Endpoint, CountedAs> _endpoints = new();

    public async Task InvokeAsync(HttpContext context)
    {
        // HEAD and every other method are never a reading.
        var countedAs = HttpMethods.IsGet(context.Request.Method) && context.GetEndpoint() is { } endpoint
            ? _endpoints.GetOrAdd(endpoint, Classify)
            : CountedAs.Nothing;
        await next(context);
        if (countedAs != CountedAs.Nothing && context.Response.StatusCode == StatusCodes.Status200OK && IsReader(context))
        {
            Count(counter, context, countedAs, context.Request.RouteValues["slug"] as string);
        }
    }

    /// <summary>
    /// What this request, once answered, counts as: kept with a reader page held in memory
    /// (<see cref="ReaderPageMemory"/>), which answers the same address ahead of routing and of this middleware, and
    /// counts each reader it answers with <see cref="CountHeld"/>.
    /// </summary>
    public static Reading ReadingOf(HttpContext context) =>
        new(HttpMethods.IsGet(context.Request.Method) && context.GetEndpoint() is { } endpoint ? Classify(endpoint) : CountedAs.Nothing,
            context.Request.RouteValues["slug"] as string);

    /// <summary>Counts a reader answered from a held copy of a page, as the request it was copied from counted.</summary>
    public static void CountHeld(ViewCounter counter, HttpContext context, Reading reading)
    {
        if (reading.Kind != CountedAs.Nothing && IsReader(context))
        {
            Count(counter, context, reading.Kind, reading.Slug);
        }
    }

    private static void Count(ViewCounter counter, HttpContext context, CountedAs countedAs, string? slug)
    {
        var request = context.Request;
        string? referer = request.Headers.Referer;
        switch (countedAs)
        {
            case CountedAs.Post or CountedAs.Page when slug is not null:
                counter.CountView(countedAs == CountedAs.Post ? PostKind.Post : PostKind.Page, slug,
                    context.Connection.RemoteIpAddress, request.Headers.UserAgent.ToString(), referer);
                break;
            // Only a search's first page is a search; its "older results" pages are the same search read on.
            case CountedAs.Search when !request.Query.ContainsKey(SearchController.BeforeKey)
                && ViewRules.SearchTerm(request.Query[SearchController.QueryKey]) is { } term:
                counter.CountSearch(term, referer);
                break;
            case CountedAs.Search:
                counter.CountArrival(referer);
                break;
            // Feeds and sitemaps are reader endpoints too, but a feed reader polling is not a visit from another site.
            case CountedAs.OtherReaderPage when context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true:
                counter.CountArrival(referer);
                break;
        }
    }

    /// <summary>
    /// A person reading: not a bot, not a prefetch, not asking not to be tracked, and not an author or the owner
    /// reading their own blog. Signed-in people are never served from the cache, so authentication has run by now
    /// for them; for anonymous readers the check is a property read.
    /// </summary>
    private static bool IsReader(HttpContext context)
    {
        var headers = context.Request.Headers;
        return !ViewRules.IsBot(headers.UserAgent)
            && !ViewRules.IsSpeculative(headers)
            && !ViewRules.AsksNotToBeTracked(headers)
            && !(context.User.Identity?.IsAuthenticated == true && context.User.IsAuthor());
    }

    private static CountedAs Classify(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<ControllerActionDescriptor>() is not { } action)
        {
            return CountedAs.Nothing;
        }
        if (action.ControllerTypeInfo.AsType() == typeof(PostsController))
        {
            return action.ActionName switch
            {
                nameof(PostsController.Show) => CountedAs.Post,
                nameof(PostsController.Page) => CountedAs.Page,
                _ => CountedAs.OtherReaderPage,
            };
        }
        if (action.ControllerTypeInfo.AsType() == typeof(SearchController))
        {
            return CountedAs.Search;
        }
        return endpoint.Metadata.GetMetadata<ReaderPageAttribute>() is not null ? CountedAs.OtherReaderPage : CountedAs.Nothing;
    }

    /// <summary>What a request counted as, and the post or page it read (its address's slug).</summary>
    public sealed record Reading(CountedAs Kind, string? Slug);

    public enum CountedAs
    {
        Nothing,
        Post,
        Page,
        Search,
        OtherReaderPage,
    }
}
