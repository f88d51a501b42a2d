using System.Text.Json;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Media;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Posts;

/// <summary>The front page, single posts and static pages, for anonymous readers.</summary>
[ReaderPage]
public sealed class PostsController(PostQueries queries, PostLists lists, SiteSettingsStore settings, TimeProvider clock) : Controller
{
    private const string BloggerSuffix = ".html";

    [HttpGet("/")]
    [ReaderPage(ListPaging.PageKey)]
    public async Task<IActionResult> Index(string? page, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        if (!ListPaging.TryRead(null, null, page, site.PostsPerPage, out var request))
        {
            return BadRequest();
        }
        if (request.LegacyPage is { } number)
        {
            var target = await lists.LegacyPageAsync(number, PostLists.AllPosts, HomeList.Address, site, ct);
            return target is null ? NotFound() : RedirectPermanent(target);
        }
        return await HomeList.ShowAsync(this, lists, request, site, ct);
    }

    [HttpGet("/{year:regex(^\\d{{4}}$)}/{month:regex(^\\d{{2}}$)}/{slug}")]
    // The comment section reads these (replyTo too, but only for members, who are never served from the cache).
    [ReaderPage(CommentSectionRequest.PageKey, CommentSectionRequest.OrderKey)]
    public async Task<IActionResult> Show(string year, string month, string slug, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        var zone = PostUrls.TimeZone(site.TimeZone);
        var post = await queries.FindAsync(PostKind.Post, slug, Now, ct);
        if (post is null)
        {
            var moved = await FindMovedAsync(PostKind.Post, slug, ct);
            return moved is null ? NotFound() : RedirectPermanent(PostUrls.PostPath(moved.PublishedAt, moved.Slug, zone));
        }
        var canonical = PostUrls.PostPath(post.PublishedAt, post.Slug, zone);
        if (!canonical.StartsWith($"/{year}/{month}/", StringComparison.Ordinal))
        {
            return RedirectPermanent(canonical);
        }
        // New, edited or removed comments evict just this post's page.
        HttpContext.TagReaderPage(ReaderCache.PostTag(post.Id));
        return View("Show", Read(post, canonical, site));
    }

    [HttpGet("/p/{slug}")]
    public async Task<IActionResult> Page(string slug, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        var page = await queries.FindAsync(PostKind.Page, slug, Now, ct);
        if (page is null)
        {
            var moved = await FindMovedAsync(PostKind.Page, slug, ct);
            return moved is null ? NotFound() : RedirectPermanent(PostUrls.PagePath(moved.Slug));
        }
        return View("Show", Read(page, PostUrls.PagePath(page.Slug), site));
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Where an address that is not a current slug now lives: Blogger's "slug.html" form, an old slug kept
    /// when the author renamed the post, or both.
    /// </summary>
    private async Task<PostSummary?> FindMovedAsync(string kind, string slug, CancellationToken ct)
    {
        if (await queries.FindRedirectAsync(kind, slug, Now, ct) is { } renamed)
        {
            return renamed;
        }
        if (!slug.EndsWith(BloggerSuffix, StringComparison.OrdinalIgnoreCase) || slug.Length == BloggerSuffix.Length)
        {
            return null;
        }
        var bare = slug[..^BloggerSuffix.Length];
        if (await queries.FindAsync(kind, bare, Now, ct) is { } current)
        {
            return new PostSummary { Id = current.Id, Slug = current.Slug, PublishedAt = current.PublishedAt };
        }
        return await queries.FindRedirectAsync(kind, bare, Now, ct);
    }

    private PostPage Read(PostDetail post, string path, SiteSettings site)
    {
        var url = SiteAddress.Absolute(Request, path);
        var published = PostListing.Date(post.PublishedAt, site);
        var description = string.IsNullOrWhiteSpace(post.Subtitle) ? post.Excerpt : post.Subtitle;
        var author = post.AuthorName ?? PostListing.DeletedAuthor;
        var image = CoverImage(post.Cover);
        ViewData.SetPageMeta(new PageMeta
        {
            Title = post.Title,
            Description = string.IsNullOrWhiteSpace(description) ? site.Description : description,
            CanonicalUrl = url,
            OgType = "article",
            PublishedIso = published.Iso,
            JsonLdHtml = post.Kind == PostKind.Post ? BlogPostingJson(post, url, description, author, published.Iso, image, site) : null,
            Image = image,
        });
        return new PostPage
        {
            Post = post,
            Published = published,
            Byline = author,
            Labels = [.. post.Labels.Select(PostListing.Label)],
            // The cover is the first thing on the page: fetched first, before the body's pictures.
            CoverHtml = post.Cover is { } cover
                ? PictureMarkup.Html(cover.Files, new PictureLook { Alt = cover.Alt, Eager = true, HighPriority = true })
                : null,
        };
    }

    /// <summary>The cover's JPEG or PNG file for link previews (WebP is not read by every service that shows them).</summary>
    private PageImage? CoverImage(CoverPicture? cover)
    {
        if (cover is null)
        {
            return null;
        }
        var (path, width, height) = cover.Files.DefaultFile;
        return new PageImage(SiteAddress.Absolute(Request, path), width, height, cover.Alt);
    }

    private static string BlogPostingJson(
        PostDetail post, string url, string description, string author, string publishedIso, PageImage? image, SiteSettings site)
    {
        var posting = new Dictionary<string, object?>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "BlogPosting",
            ["headline"] = post.Title,
            ["description"] = description,
            ["url"] = url,
            ["mainEntityOfPage"] = url,
            ["datePublished"] = publishedIso,
            ["dateModified"] = PostListing.Date(Later(post.UpdatedAt, post.PublishedAt), site).Iso,
            ["author"] = new Dictionary<string, string> { ["@type"] = "Person", ["name"] = author },
            ["publisher"] = new Dictionary<string, string> { ["@type"] = "Organization", ["name"] = site.Title },
            ["keywords"] = string.Join(", ", post.Labels),
        };
        if (image is not null)
        {
            posting["image"] = image.Url;
        }
        return JsonSerializer.Serialize(posting);
    }

    /// <summary>A post scheduled after its last edit was "updated" when it went out, not before.</summary>
    internal static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;
}

public sealed record PostPage
{
    public required PostDetail Post { get; init; }

    public required BlogDate Published { get; init; }

    public required string Byline { get; init; }

    public required IReadOnlyList<LabelLink> Labels { get; init; }

    /// <summary>The cover above the body, or null when the post has none.</summary>
    public string? CoverHtml { get; init; }
}
