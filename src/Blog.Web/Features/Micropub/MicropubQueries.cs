using System.Globalization;
using Blog.Web.Features.Authoring;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Micropub;

/// <summary>Posts as Micropub clients name and read them: by their public address (q=source, updates, deletes).</summary>
public sealed class MicropubQueries(
    AuthoringQueries authoring,
    MicropubStore store,
    SiteSettingsStore settings,
    CanonicalAddress address,
    TimeProvider clock)
{
    /// <summary>
    /// The post or page at <paramref name="url"/>, an address on this blog: its current one, a renamed post's old one,
    /// or a draft's (see <see cref="AddressOfAsync"/>). Null for anything else.
    /// </summary>
    public async Task<PostRow?> FindByUrlAsync(string? url, CancellationToken ct)
    {
        if (url is null || url.Length > 2_000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !string.Equals(uri.GetLeftPart(UriPartial.Authority), address.Base, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var (kind, slug) = segments switch
        {
            ["p", var page] => (PostKind.Page, page),
            [var year, var month, var post] when year.Length == 4 && month.Length == 2 && year.All(char.IsAsciiDigit) && month.All(char.IsAsciiDigit) => (PostKind.Post, post),
            _ => ("", ""),
        };
        slug = Uri.UnescapeDataString(slug.EndsWith(".html", StringComparison.Ordinal) ? slug[..^5] : slug);
        if (kind.Length == 0 || slug.Length == 0 || await store.FindIdBySlugAsync(kind, slug, ct) is not { } id)
        {
            return null;
        }
        return await authoring.FindAsync(id, ct);
    }

    /// <summary>
    /// The post's absolute address. A draft has none yet, so it is given the one it would have if published now: it
    /// names the post for later updates (addresses are looked up by slug) and becomes real when it is published.
    /// </summary>
    public async Task<string> AddressOfAsync(PostRow post, CancellationToken ct)
    {
        if (post.Kind == PostKind.Page)
        {
            return address.Absolute(PostUrls.PagePath(post.Slug));
        }
        var zone = PostUrls.TimeZone((await settings.GetAsync(ct)).TimeZone);
        var publishedAt = post.Status == PostStatus.Published && post.PublishedAt is { } at ? at : clock.GetUtcNow().UtcDateTime;
        return address.Absolute(PostUrls.PostPath(publishedAt, post.Slug, zone));
    }

    /// <summary>q=source (Micropub 3.7.3): the post's properties, or only those asked for.</summary>
    public async Task<Dictionary<string, object>> SourceAsync(PostRow post, IReadOnlyCollection<string> wanted, CancellationToken ct)
    {
        object content = post.BodyFormat == BodyFormat.Html ? new Dictionary<string, string> { ["html"] = post.BodyMarkdown } : post.BodyMarkdown;
        var properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [MicropubProperty.Name] = new[] { post.Title },
            [MicropubProperty.Content] = new[] { content },
            [MicropubProperty.PostStatus] = new[] { post.Status },
            ["url"] = new[] { await AddressOfAsync(post, ct) },
        };
        if (post.Subtitle.Length > 0)
        {
            properties[MicropubProperty.Summary] = new[] { post.Subtitle };
        }
        if (LabelsOf(post) is { Count: > 0 } labels)
        {
            properties[MicropubProperty.Category] = labels;
        }
        if (post.PublishedAt is { } published)
        {
            properties[MicropubProperty.Published] = new[] { DateTime.SpecifyKind(published, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };
        }
        var kept = wanted.Count == 0 ? properties : properties.Where(p => wanted.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
        return wanted.Count == 0
            ? new Dictionary<string, object> { ["type"] = new[] { MicropubType.Entry }, ["properties"] = kept }
            : new Dictionary<string, object> { ["properties"] = kept };
    }

    /// <summary>The post's labels as a list (the editor keeps them joined by ", ", which no label contains).</summary>
    public static List<string> LabelsOf(PostRow post) =>
        [.. post.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
