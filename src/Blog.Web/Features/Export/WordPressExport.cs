using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Blog.Web.Content;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Export;

/// <summary>
/// The blog as WordPress eXtended RSS 1.2, the file WordPress's importer reads: the authors, every label as a
/// category, and each post or page as an item with its slug, status, dates (GMT and the blog's local time), labels and
/// its comments (threads through <c>wp:comment_parent</c>, held ones unapproved).
/// </summary>
public sealed class WordPressExport(ExportQueries queries)
{
    private const string Wp = "http://wordpress.org/export/1.2/";
    private const string Excerpt = "http://wordpress.org/export/1.2/excerpt/";
    private const string Content = "http://purl.org/rss/1.0/modules/content/";
    private const string Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>What WordPress writes for a date a draft does not have yet.</summary>
    private const string NoDate = "0000-00-00 00:00:00";

    public async Task WriteAsync(XmlWriter xml, ExportSite site, CancellationToken ct)
    {
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "rss", null);
        await xml.WriteAttributeStringAsync(null, "version", null, "2.0");
        await xml.WriteAttributeStringAsync("xmlns", "excerpt", null, Excerpt);
        await xml.WriteAttributeStringAsync("xmlns", "content", null, Content);
        await xml.WriteAttributeStringAsync("xmlns", "dc", null, Dc);
        await xml.WriteAttributeStringAsync("xmlns", "wp", null, Wp);
        await xml.WriteStartElementAsync(null, "channel", null);
        await xml.WriteElementStringAsync(null, "title", null, ExportXml.Clean(site.Title));
        await xml.WriteElementStringAsync(null, "link", null, site.Base);
        await xml.WriteElementStringAsync(null, "description", null, ExportXml.Clean(site.Description));
        await xml.WriteElementStringAsync(null, "pubDate", null, RssTime(site.Now));
        await WpAsync(xml, "wxr_version", "1.2");
        await WpAsync(xml, "base_site_url", site.Base);
        await WpAsync(xml, "base_blog_url", site.Base);
        await foreach (var author in queries.AuthorsAsync(ct))
        {
            await xml.WriteStartElementAsync("wp", "author", Wp);
            await WpAsync(xml, "author_login", Login(author.Id, author.DisplayName));
            await WpAsync(xml, "author_email", author.Email ?? "");
            await WpAsync(xml, "author_display_name", author.DisplayName);
            await xml.WriteEndElementAsync();
        }
        await foreach (var label in queries.LabelsAsync(ct))
        {
            await xml.WriteStartElementAsync("wp", "category", Wp);
            await WpAsync(xml, "term_id", Number(label.Id));
            await WpAsync(xml, "category_nicename", CategorySlug(label.Name));
            await WpAsync(xml, "category_parent", "");
            await WpAsync(xml, "cat_name", label.Name);
            await xml.WriteEndElementAsync();
        }
        await xml.WriteElementStringAsync(null, "generator", null, "Quire");
        await foreach (var post in queries.PostsAsync(ct))
        {
            await ItemAsync(xml, site, post, ct);
        }
        await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    private async Task ItemAsync(XmlWriter xml, ExportSite site, ExportPostRow post, CancellationToken ct)
    {
        var date = post.PublishedAt ?? post.UpdatedAt;
        await xml.WriteStartElementAsync(null, "item", null);
        await xml.WriteElementStringAsync(null, "title", null, ExportXml.Clean(post.Title));
        await xml.WriteElementStringAsync(null, "link", null, site.AddressOf(post));
        await xml.WriteElementStringAsync(null, "pubDate", null, RssTime(date));
        await CDataAsync(xml, "dc", "creator", Dc, post.AuthorId is null ? "" : Login(post.AuthorId, post.AuthorName ?? ""));
        await xml.WriteStartElementAsync(null, "guid", null);
        await xml.WriteAttributeStringAsync(null, "isPermaLink", null, "false");
        await xml.WriteStringAsync(site.Absolute("/?p=" + Number(post.Id)));
        await xml.WriteEndElementAsync();
        await xml.WriteElementStringAsync(null, "description", null, "");
        await CDataAsync(xml, "content", "encoded", Content, ExportXml.Body(post.BodyHtml, site.Base, wordPressLineBreaks: true));
        await CDataAsync(xml, "excerpt", "encoded", Excerpt, post.Subtitle);
        await WpAsync(xml, "post_id", Number(post.Id));
        await WpAsync(xml, "post_date", LocalTime(site, date));
        await WpAsync(xml, "post_date_gmt", post.PublishedAt is { } published ? GmtTime(published) : NoDate);
        await WpAsync(xml, "post_modified", LocalTime(site, post.UpdatedAt));
        await WpAsync(xml, "post_modified_gmt", GmtTime(post.UpdatedAt));
        await WpAsync(xml, "comment_status", post.AllowComments ? "open" : "closed");
        await WpAsync(xml, "ping_status", "closed");
        await WpAsync(xml, "post_name", post.Slug);
        await WpAsync(xml, "status", post.IsDraft ? "draft" : post.PublishedAt > site.Now ? "future" : "publish");
        await WpAsync(xml, "post_parent", "0");
        await WpAsync(xml, "menu_order", "0");
        await WpAsync(xml, "post_type", post.Kind == PostKind.Page ? "page" : "post");
        await WpAsync(xml, "post_password", "");
        await WpAsync(xml, "is_sticky", "0");
        foreach (var label in post.Labels)
        {
            await xml.WriteStartElementAsync(null, "category", null);
            await xml.WriteAttributeStringAsync(null, "domain", null, "category");
            await xml.WriteAttributeStringAsync(null, "nicename", null, CategorySlug(label));
            await xml.WriteCDataAsync(ExportXml.Clean(label));
            await xml.WriteEndElementAsync();
        }
        await foreach (var comment in queries.CommentsOfAsync(post.Id, includeHeld: true, ct))
        {
            await CommentAsync(xml, site, comment);
        }
        await xml.WriteEndElementAsync();
    }

    private static async Task CommentAsync(XmlWriter xml, ExportSite site, ExportCommentRow comment)
    {
        await xml.WriteStartElementAsync("wp", "comment", Wp);
        await WpAsync(xml, "comment_id", Number(comment.Id));
        await WpAsync(xml, "comment_author", comment.AuthorName);
        await WpAsync(xml, "comment_author_email", comment.AuthorEmail ?? "");
        await WpAsync(xml, "comment_author_url", comment.AuthorUrl ?? "");
        await WpAsync(xml, "comment_author_IP", "");
        await WpAsync(xml, "comment_date", LocalTime(site, comment.CreatedAt));
        await WpAsync(xml, "comment_date_gmt", GmtTime(comment.CreatedAt));
        await xml.WriteStartElementAsync("wp", "comment_content", Wp);
        await xml.WriteCDataAsync(ExportXml.Body(comment.BodyHtml, site.Base, wordPressLineBreaks: true));
        await xml.WriteEndElementAsync();
        await WpAsync(xml, "comment_approved", comment.IsHeld ? "0" : "1");
        await WpAsync(xml, "comment_type", "comment");
        await WpAsync(xml, "comment_parent", comment.ParentId is { } parent ? Number(parent) : "0");
        await WpAsync(xml, "comment_user_id", "0");
        await xml.WriteEndElementAsync();
    }

    /// <summary>
    /// A WordPress login for a member who wrote posts: readable, and unique because it ends with the start of the
    /// member's id (display names need not be unique). The importer offers to map it to an account there.
    /// </summary>
    public static string Login(string memberId, string displayName) =>
        Slugs.FromTitle(displayName) + "-" + new string([.. memberId.Where(char.IsAsciiLetterOrDigit).Take(8)]).ToLowerInvariant();

    /// <summary>
    /// The category's slug (its address there is <c>/category/{slug}/</c>): the label spelled in ASCII, or, for a label
    /// with no such letters (e.g. in Chinese), one made from its name, so each label still has its own.
    /// </summary>
    public static string CategorySlug(string label) => Slugs.From(label) is { Length: > 0 } slug
        ? slug
        : "label-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(label.ToUpperInvariant())))[..10];

    private static async Task WpAsync(XmlWriter xml, string element, string value) =>
        await xml.WriteElementStringAsync("wp", element, Wp, ExportXml.Clean(value));

    private static async Task CDataAsync(XmlWriter xml, string prefix, string element, string ns, string value)
    {
        await xml.WriteStartElementAsync(prefix, element, ns);
        await xml.WriteCDataAsync(ExportXml.Clean(value));
        await xml.WriteEndElementAsync();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string RssTime(DateTime utc) => utc.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static string GmtTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string LocalTime(ExportSite site, DateTime utc) => GmtTime(site.Local(utc));
}
