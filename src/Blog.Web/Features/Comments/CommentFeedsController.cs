using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Comments;

/// <summary>Atom feeds of approved comments, at Blogger's addresses.</summary>
[ReaderPage]
public sealed class CommentFeedsController(
    CommentFeedQueries feeds, SiteSettingsStore settingsStore, IOptions<CommentOptions> options, TimeProvider clock) : Controller
{
    [HttpGet("/feeds/comments/default")]
    public async Task<IActionResult> All(CancellationToken ct)
    {
        var site = await settingsStore.GetAsync(ct);
        var comments = await feeds.FeedAsync(null, clock.GetUtcNow().UtcDateTime, options.Value.FeedSize, ct);
        HttpContext.TagReaderPage(ReaderCache.CommentFeedTag);
        return await FeedAsync($"Comments on {site.Title}", "/", comments, site, ct);
    }

    [HttpGet("/feeds/{postId:long}/comments/default")]
    public async Task<IActionResult> ForPost(long postId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var post = await feeds.FindPostAsync(postId, now, ct);
        if (post is null)
        {
            return NotFound();
        }
        var site = await settingsStore.GetAsync(ct);
        var comments = await feeds.FeedAsync(post.Id, now, options.Value.FeedSize, ct);
        HttpContext.TagReaderPage(ReaderCache.PostTag(post.Id));
        var path = PostUrls.PostPath(post.PublishedAt, post.Slug, PostUrls.TimeZone(site.TimeZone));
        return await FeedAsync($"Comments on “{post.Title}”", path, comments, site, ct);
    }

    private async Task<IActionResult> FeedAsync(string title, string alternatePath, IReadOnlyList<FeedComment> comments, SiteSettings site, CancellationToken ct)
    {
        var baseUrl = new Uri(SiteAddress.Base(Request));
        var zone = PostUrls.TimeZone(site.TimeZone);
        var feed = new SyndicationFeed(title, site.Description, new Uri(baseUrl, alternatePath))
        {
            Id = new Uri(baseUrl, Request.Path).ToString(),
            LastUpdatedTime = comments.Count > 0 ? Utc(comments[0].EditedAt ?? comments[0].CreatedAt) : new DateTimeOffset(clock.GetUtcNow().UtcDateTime),
            Items = comments.Select(comment =>
            {
                var link = new Uri(baseUrl, $"/comments/{comment.Id}");
                var writer = comment.Writer;
                var item = new SyndicationItem(
                    $"{writer.Name} on “{comment.PostTitle}”",
                    new TextSyndicationContent(comment.BodyHtml, TextSyndicationContentKind.Html),
                    link, link.ToString(), Utc(comment.EditedAt ?? comment.CreatedAt))
                {
                    PublishDate = Utc(comment.CreatedAt),
                };
                // An imported writer's own link, never their email address (the export had it; the feed must not).
                item.Authors.Add(new SyndicationPerson { Name = writer.Name, Uri = writer.Link });
                item.Links.Add(SyndicationLink.CreateAlternateLink(
                    new Uri(baseUrl, PostUrls.PostPath(comment.PostPublishedAt, comment.PostSlug, zone))));
                return item;
            }).ToList(),
        };
        feed.Links.Add(SyndicationLink.CreateSelfLink(new Uri(baseUrl, Request.Path), "application/atom+xml"));

        using var buffer = new MemoryStream();
        await using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true }))
        {
            new Atom10FeedFormatter(feed).WriteTo(writer);
            await writer.FlushAsync();
        }
        return File(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
