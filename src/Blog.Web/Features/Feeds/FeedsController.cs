using System.Net;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Blog.Web.Features.Labels;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Feeds;

/// <summary>
/// Atom and RSS 2.0 feeds of visible posts at Blogger's addresses, so existing subscriptions keep working. A feed
/// always holds the newest <see cref="FeedQueries.EntryCount"/> posts: Blogger's other feed keys (max-results,
/// start-index, …) are ignored, so no address makes a feed larger or costlier.
/// </summary>
[ReaderPage(AltKey)]
public sealed class FeedsController(FeedQueries feeds, LabelQueries labels, SiteSettingsStore settings, TimeProvider clock) : Controller
{
    /// <summary>Blogger's format key: absent or "atom" for Atom, "rss" for RSS 2.0.</summary>
    public const string AltKey = "alt";

    [HttpGet("/feeds/posts/default")]
    public async Task<IActionResult> Posts(string? alt, CancellationToken ct)
    {
        if (!TryFormat(alt, out var rss))
        {
            return BadRequest();
        }
        var site = await settings.GetAsync(ct);
        var entries = await feeds.NewestAsync(Now, ct);
        return Write(Build(site.Title, site.Description, "/", "/feeds/posts/default", entries, site, rss), rss);
    }

    [HttpGet("/feeds/posts/default/-/{label}")]
    public async Task<IActionResult> Label(string label, string? alt, CancellationToken ct)
    {
        if (!TryFormat(alt, out var rss))
        {
            return BadRequest();
        }
        var found = await labels.FindAsync(label, ct);
        if (found is null)
        {
            return NotFound();
        }
        var site = await settings.GetAsync(ct);
        var entries = await feeds.NewestWithLabelAsync(found.Id, Now, ct);
        var feed = Build(
            $"{site.Title}: {found.Name}", $"Posts labelled {found.Name}.", PostUrls.LabelPath(found.Name),
            "/feeds/posts/default/-/" + Uri.EscapeDataString(found.Name), entries, site, rss);
        return Write(feed, rss);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Blogger's <c>alt</c> parameter: absent or "atom" for Atom, "rss" for RSS 2.0.</summary>
    private static bool TryFormat(string? alt, out bool rss)
    {
        rss = string.Equals(alt, "rss", StringComparison.OrdinalIgnoreCase);
        return rss || string.IsNullOrEmpty(alt) || string.Equals(alt, "atom", StringComparison.OrdinalIgnoreCase);
    }

    private SyndicationFeed Build(
        string title, string description, string htmlPath, string feedPath, IReadOnlyList<FeedEntry> entries, SiteSettings site, bool rss)
    {
        var zone = PostUrls.TimeZone(site.TimeZone);
        var feed = new SyndicationFeed(title, null, new Uri(Absolute(htmlPath)))
        {
            Description = PlainText(description),
            Id = Absolute(feedPath),
            Generator = "Quire",
            // An empty feed has never changed; the epoch keeps it stable instead of "now" on every request.
            LastUpdatedTime = entries.Count == 0
                ? DateTimeOffset.UnixEpoch
                : entries.Max(e => Utc(PostsController.Later(e.UpdatedAt, e.PublishedAt))),
            Items = [.. entries.Select(entry => Item(entry, zone))],
        };
        // Each format names its own address as "self" (RSS carries it as atom:link): a reader that follows it must
        // get the same format back.
        feed.Links.Add(rss
            ? new SyndicationLink(new Uri(Absolute(feedPath + "?alt=rss")), "self", null, "application/rss+xml", 0)
            : new SyndicationLink(new Uri(Absolute(feedPath)), "self", null, "application/atom+xml", 0));
        return feed;
    }

    private SyndicationItem Item(FeedEntry entry, TimeZoneInfo zone)
    {
        var url = Absolute(PostUrls.PostPath(entry.PublishedAt, entry.Slug, zone));
        var item = new SyndicationItem
        {
            Id = url,
            Title = new TextSyndicationContent(entry.Title),
            Content = new TextSyndicationContent(FeedBodies.WithAbsoluteMedia(entry.BodyHtml, SiteAddress.Base(Request)), TextSyndicationContentKind.Html),
            PublishDate = Utc(entry.PublishedAt),
            LastUpdatedTime = Utc(PostsController.Later(entry.UpdatedAt, entry.PublishedAt)),
        };
        var summary = string.IsNullOrWhiteSpace(entry.Subtitle) ? entry.Excerpt : entry.Subtitle;
        if (!string.IsNullOrWhiteSpace(summary))
        {
            item.Summary = PlainText(summary);
        }
        item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(url), "text/html"));
        item.Authors.Add(new SyndicationPerson { Name = entry.AuthorName ?? PostListing.DeletedAuthor });
        foreach (var label in entry.Labels)
        {
            item.Categories.Add(new SyndicationCategory(label));
        }
        return item;
    }

    /// <summary>
    /// Plain text (the blog's description, a subtitle, an excerpt) sent as encoded HTML. RSS has no "text" kind:
    /// readers treat description as HTML, so a subtitle like "&lt;svg onload=...&gt;" would otherwise become markup
    /// in them. Atom says type="html" and shows the same words.
    /// </summary>
    private static TextSyndicationContent PlainText(string text) =>
        new(WebUtility.HtmlEncode(text), TextSyndicationContentKind.Html);

    private FileContentResult Write(SyndicationFeed feed, bool rss)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            SyndicationFeedFormatter formatter = rss ? new Rss20FeedFormatter(feed) : new Atom10FeedFormatter(feed);
            formatter.WriteTo(writer);
        }
        var contentType = rss ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8";
        return File(buffer.ToArray(), contentType);
    }

    private string Absolute(string path) => SiteAddress.Absolute(Request, path);

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
