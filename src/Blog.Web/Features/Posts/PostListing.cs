using System.Globalization;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Media;
using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Posts;

/// <summary>A page of posts as every list (home, label, archive) shows it, with its "Newer/Older posts" links.</summary>
public sealed record PostListPage
{
    public required string Heading { get; init; }

    /// <summary>True on the blog's front page, which keeps its heading for screen readers only.</summary>
    public bool IsHome { get; init; }

    public required IReadOnlyList<PostListItem> Posts { get; init; }

    public string? NewerUrl { get; init; }

    public string? OlderUrl { get; init; }
}

public sealed record PostListItem
{
    public required string Title { get; init; }

    public required string Url { get; init; }

    /// <summary>The subtitle when there is one, otherwise the plain-text excerpt.</summary>
    public required string Summary { get; init; }

    public required BlogDate Published { get; init; }

    public required string Byline { get; init; }

    public required IReadOnlyList<LabelLink> Labels { get; init; }

    public required int CommentCount { get; init; }

    /// <summary>The cover as a small picture beside the summary, or null when the post has none.</summary>
    public string? CoverHtml { get; init; }

    /// <summary>"No comments", "1 comment" or "N comments", worded as the post's comment section heading.</summary>
    public string CommentCountText => CommentSection.CountText(CommentCount);
}

public sealed record LabelLink(string Name, string Url);

/// <summary>A moment as readers see it: formatted in the blog's time zone, with a machine-readable value.</summary>
public sealed record BlogDate(string Text, string Iso);

public static class PostListing
{
    /// <summary>What a byline says when the author's account no longer exists.</summary>
    public const string DeletedAuthor = "a deleted member";

    /// <summary>
    /// How wide a list's cover is drawn (site.css, "Pictures in posts"): a 10rem thumbnail from 36rem up, else
    /// the full width of the screen less the page's margins.
    /// </summary>
    public const string CoverSizes = "(min-width: 36rem) 10rem, calc(100vw - 2rem)";

    public static PostListItem ToItem(PostSummary post, SiteSettings site)
    {
        var zone = PostUrls.TimeZone(site.TimeZone);
        return new PostListItem
        {
            Title = post.Title,
            Url = PostUrls.PostPath(post.PublishedAt, post.Slug, zone),
            Summary = string.IsNullOrWhiteSpace(post.Subtitle) ? post.Excerpt : post.Subtitle,
            Published = Date(post.PublishedAt, site),
            Byline = post.AuthorName ?? DeletedAuthor,
            Labels = [.. post.Labels.Select(Label)],
            CommentCount = post.CommentCount,
            // The title beside it already says what the post is: the thumbnail is decoration to a screen reader.
            CoverHtml = post.Cover is { } cover ? PictureMarkup.Html(cover.Files, new PictureLook { Alt = "", Sizes = CoverSizes }) : null,
        };
    }

    public static LabelLink Label(string name) => new(name, PostUrls.LabelPath(name));

    public static BlogDate Date(DateTime utc, SiteSettings site)
    {
        var zone = PostUrls.TimeZone(site.TimeZone);
        var instant = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return new BlogDate(FormatSafely(local, site.DateFormat), local.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    /// <summary>The date format is the owner's free text; a malformed one must not take every page down.</summary>
    private static string FormatSafely(DateTimeOffset local, string format)
    {
        try
        {
            return local.ToString(string.IsNullOrWhiteSpace(format) ? "d MMMM yyyy" : format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return local.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        }
    }
}
