using System.Text.RegularExpressions;

namespace Blog.Web.Features.Import.Sources;

/// <summary>The ids Blogger writes in both its export formats: <c>tag:blogger.com,1999:blog-{blog}.post-{item}</c>.</summary>
internal static partial class BloggerIds
{
    /// <summary>The blog's number in a feed or entry id, or null when the id is not Blogger's.</summary>
    public static string? BlogId(string id)
    {
        var match = BlogIdPattern().Match(id.Trim());
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>True for the id of a post, page or comment entry as Blogger writes it.</summary>
    public static bool IsItemId(string id) => ItemIdPattern().IsMatch(id);

    /// <summary>The number at the end of an item id (a Blogger post id, as in <c>/feeds/{id}/comments/default</c>).</summary>
    public static string? ItemNumber(string id)
    {
        var match = ItemIdPattern().Match(id);
        return match.Success ? match.Groups[2].Value : null;
    }

    /// <summary>
    /// The id of the comment a reply answers, from the classic export's <c>link rel="related"</c>
    /// (<c>…/feeds/{blog}/{post}/comments/default/{comment}</c>).
    /// </summary>
    public static string? FromCommentFeedLink(string? blogId, string? href)
    {
        if (blogId is null || href is null)
        {
            return null;
        }
        var match = CommentLinkPattern().Match(href);
        return match.Success ? $"tag:blogger.com,1999:blog-{blogId}.post-{match.Groups[1].Value}" : null;
    }

    /// <summary>An id as Takeout writes a reference: a full tag, or only the number.</summary>
    public static string? Reference(string? blogId, string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (blogId is not null && value.All(char.IsAsciiDigit))
        {
            return $"tag:blogger.com,1999:blog-{blogId}.post-{value}";
        }
        return value;
    }

    [GeneratedRegex(@"^tag:blogger\.com,1999:blog-(\d+)(\.|$)")]
    private static partial Regex BlogIdPattern();

    [GeneratedRegex(@"^tag:blogger\.com,1999:blog-(\d+)\.(?:post|page)-(\d+)$")]
    private static partial Regex ItemIdPattern();

    [GeneratedRegex(@"/comments/default/(\d+)/?$")]
    private static partial Regex CommentLinkPattern();
}
